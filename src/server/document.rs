//! An open document: its in-memory text and version, changed as the editor says, and the conversions between
//! pyfix's positions (1-based lines, columns in characters) and the protocol's (0-based lines, columns in UTF-16
//! code units, the encoding every client supports). Lines end at `\n`, `\r\n` or `\r`, for both.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, TextEdit};

pub struct Document {
    pub text: String,
    pub version: i32,
    /// Byte offset of each line's start; the text's end starts a last (empty) line after a final line break.
    starts: Vec<usize>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let starts = line_starts(&text);
        Document { text, version, starts }
    }

    /// Applies the editor's changes in order: each replaces its range of the text as the previous ones left it, or
    /// the whole text when it has no range.
    pub fn change(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let (start, end) = (self.offset(range.start), self.offset(range.end));
                    let (start, end) = (start.min(end), start.max(end));
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.starts = line_starts(&self.text);
        }
        self.version = version;
    }

    /// The byte offset of a protocol position. A column past the line's end is its end; a line past the text's end
    /// is the text's end (the protocol asks servers to be lenient there).
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else { return self.text.len() };
        let end = self.line_end(pos.line as usize);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The protocol position of a byte offset (on a character boundary).
    pub fn position_of_offset(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let units: usize = self.text[self.starts[line]..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, units as u32)
    }

    /// The protocol position of pyfix's (line, column): 1-based, the column in characters.
    pub fn position(&self, (line, col): (usize, usize)) -> Position {
        let index = line.saturating_sub(1);
        let Some(&start) = self.starts.get(index) else { return self.position_of_offset(self.text.len()) };
        let end = self.line_end(index);
        let units: usize = self.text[start..end].chars().take(col.saturating_sub(1)).map(char::len_utf16).sum();
        Position::new(index as u32, units as u32)
    }

    /// The whole of lines `first..=last` (1-based), without the last one's line break.
    pub fn lines_range(&self, first: usize, last: usize) -> Range {
        let last_index = last.saturating_sub(1).min(self.starts.len() - 1);
        let end = self.position_of_offset(self.line_end(last_index));
        Range::new(self.position((first, 1)), end)
    }

    /// One edit that turns this text into `new`: the part between their common beginning and common end.
    pub fn edit_to(&self, new: &str) -> TextEdit {
        let old = &self.text;
        let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
        while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix)) {
            prefix -= 1;
        }
        let max_suffix = old.len().min(new.len()) - prefix;
        let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
        while !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix)) {
            suffix -= 1;
        }
        // Never split a `\r\n`: the protocol's positions cannot point between its two characters.
        let (mut start, mut old_end, mut new_end) = (prefix, old.len() - suffix, new.len() - suffix);
        if start > 0 && old.as_bytes()[start - 1] == b'\r' && old.as_bytes().get(start) == Some(&b'\n') {
            start -= 1;
        }
        if old_end > start && old.as_bytes()[old_end - 1] == b'\r' && old.as_bytes().get(old_end) == Some(&b'\n') {
            old_end += 1;
            new_end += 1;
        }
        let range = Range::new(self.position_of_offset(start), self.position_of_offset(old_end));
        TextEdit::new(range, new[start..new_end].to_string())
    }

    /// The byte offset where line `index` (0-based) ends, before its line break.
    fn line_end(&self, index: usize) -> usize {
        let next = self.starts.get(index + 1).copied().unwrap_or(self.text.len());
        let line = &self.text[self.starts[index]..next];
        let trimmed = line.strip_suffix('\n').unwrap_or(line);
        let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        self.starts[index] + trimmed.len()
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 1;
                starts.push(i + 1);
            }
            b'\r' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(doc: &Document, edit: &TextEdit) -> String {
        let (start, end) = (doc.offset(edit.range.start), doc.offset(edit.range.end));
        format!("{}{}{}", &doc.text[..start], edit.new_text, &doc.text[end..])
    }

    #[test]
    fn positions_count_utf16_units_and_every_line_break() {
        let doc = Document::new("a = '𝄞é'\r\nb\rc\n".to_string(), 0);
        // `𝄞` is two UTF-16 units, one character for pyfix.
        assert_eq!(doc.position((1, 7)), Position::new(0, 7));
        assert_eq!(doc.offset(Position::new(0, 7)), "a = '𝄞".len());
        assert_eq!(doc.position((2, 1)), Position::new(1, 0));
        assert_eq!(doc.position((3, 2)), Position::new(2, 1));
        assert_eq!(doc.position((4, 1)), Position::new(3, 0));
        assert_eq!(doc.offset(Position::new(0, 99)), "a = '𝄞é'".len(), "past the end of the line");
        assert_eq!(doc.offset(Position::new(9, 0)), doc.text.len(), "past the end of the text");
        assert_eq!(doc.lines_range(1, 2), Range::new(Position::new(0, 0), Position::new(1, 1)));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut doc = Document::new("x = 1\ny = 2\n".to_string(), 1);
        let change = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        };
        doc.change(vec![change(1, 4, 1, 5, "22"), change(0, 0, 0, 0, "# top\n")], 2);
        assert_eq!(doc.text, "# top\nx = 1\ny = 22\n");
        assert_eq!(doc.version, 2);
        doc.change(vec![TextDocumentContentChangeEvent { range: None, range_length: None, text: "z\n".into() }], 3);
        assert_eq!(doc.text, "z\n");
        assert_eq!(doc.position((2, 1)), Position::new(1, 0));
    }

    #[test]
    fn one_edit_turns_the_text_into_another() {
        for (old, new) in [
            ("f = open(p)\nf.read()\n", "with open(p) as f:\n    f.read()\n"),
            ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
            ("a\r\nb\r\n", "a\r\n"),
            ("é\n", "è\n"),
            ("same", "same"),
            ("", "new\n"),
        ] {
            let doc = Document::new(old.to_string(), 0);
            assert_eq!(apply(&doc, &doc.edit_to(new)), new, "{old:?} -> {new:?}");
        }
    }
}
