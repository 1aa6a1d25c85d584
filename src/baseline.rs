//! `--add-ignore`: a `# pyfix: ignore[<codemod>]` comment on every line that still has a finding, so a legacy
//! repository can turn pyfix on before every finding is dealt with. Pure: text and reports in, text out.
//! The comment goes on the line the finding is reported on (the line suppression looks at), after any comment
//! already there, merged into an existing `# pyfix: ignore[...]`, and never inside a string literal or a Sphinx `#:`
//! doc comment (that one moves to the line above, where Sphinx reads it too).

use ruff_python_ast::token::TokenKind;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::edit::{self, Edit, Fix};
use crate::report::Report;
use crate::source::SourceFile;

pub struct Baselined {
    /// The text with the comments added (the input when none could be).
    pub text: String,
    /// How many lines got a comment or had one extended.
    pub lines: usize,
    /// (line, why) for lines that could not take a comment: their findings stay.
    pub refused: Vec<(usize, String)>,
}

/// Adds `# pyfix: ignore[...]` for `reports` (located in `text`, which must parse).
pub fn add_ignores(text: &str, reports: &[Report]) -> Baselined {
    let unchanged = |refused| Baselined { text: text.to_string(), lines: 0, refused };
    let Ok(parsed) = ruff_python_parser::parse_module(text) else {
        return unchanged(Vec::new());
    };
    let source = SourceFile::new(text, parsed.tokens());
    // line -> codemods to name there, in report order, once each.
    let mut wanted: Vec<(usize, Vec<&str>)> = Vec::new();
    for r in reports {
        match wanted.iter_mut().find(|(line, _)| *line == r.line) {
            Some((_, names)) if !names.contains(&r.codemod) => names.push(r.codemod),
            Some(_) => {}
            None => wanted.push((r.line, vec![r.codemod])),
        }
    }
    let mut edits = Vec::new();
    let mut refused = Vec::new();
    let mut lines = 0;
    for (line, names) in &wanted {
        let Some(line_start) = line_offset(text, *line) else { continue };
        let eol = source.line_end(line_start);
        let comment = source.comments_in(TextRange::new(line_start, eol)).first().copied();
        let spans_eol = |r: TextRange| r.start() < eol && eol < r.end();
        if source.in_string(eol)
            || parsed.tokens().iter().any(|t| t.kind() != TokenKind::Comment && spans_eol(t.range()))
        {
            refused.push((*line, "the line ends inside a string literal, where a comment would be text".to_string()));
            continue;
        }
        if comment.is_none() && text[..usize::from(eol)].ends_with('\\') {
            refused.push((*line, "the line ends with a `\\` continuation, which a comment cannot follow".to_string()));
            continue;
        }
        // x = open(p)  #: doc      <- a Sphinx attribute doc comment (Sphinx wants `#:` to start the comment)
        // Appended there, the ignore would become documentation; put before it, Sphinx would lose the doc. Sphinx reads
        // the same doc from a `#:` line right above the statement, so the doc moves there and the ignore takes its place.
        if let Some(doc) = comment.filter(|c| source.slice(*c).starts_with("#:")) {
            if existing_ignore_list(source.slice(doc), doc.start()).is_none() {
                match move_doc_comment_above(&source, parsed.tokens(), line_start, doc, names) {
                    Ok(moved) => {
                        edits.extend(moved);
                        lines += 1;
                    }
                    Err(why) => refused.push((*line, why)),
                }
                continue;
            }
        }
        match comment.and_then(|c| existing_ignore_list(source.slice(c), c.start())) {
            Some((close, listed)) => {
                let new: Vec<&str> = names.iter().copied().filter(|n| !listed.iter().any(|l| l == n)).collect();
                if !new.is_empty() {
                    let sep = if listed.is_empty() { "" } else { ", " };
                    edits.push(Edit::insert(close, format!("{sep}{}", new.join(", "))));
                    lines += 1;
                }
            }
            None => {
                edits.push(Edit::insert(eol, format!("  # pyfix: ignore[{}]", names.join(", "))));
                lines += 1;
            }
        }
    }
    let Some(fix) = Fix::safe("Add `# pyfix: ignore`", edits) else {
        return unchanged(refused);
    };
    Baselined { text: edit::apply(text, &[&fix]).text, lines, refused }
}

/// `x = open(p)  #: doc` -> `#: doc` on its own line above, `x = open(p)  # pyfix: ignore[...]`: the same doc for
/// Sphinx only when the statement is the whole line (it takes a doc comment above a statement that starts a line, and
/// one after a statement that ends it) and no `#:` line is already above (Sphinx would join the two).
fn move_doc_comment_above(
    source: &SourceFile,
    tokens: &ruff_python_ast::token::Tokens,
    line_start: TextSize,
    doc: TextRange,
    names: &[&str],
) -> Result<Vec<Edit>, String> {
    let text = source.text();
    let cannot = |what: &str| {
        Err(format!(
            "the line ends with a Sphinx `#:` doc comment and {what}; \
             move the doc comment to its own line above the statement, then add the ignore"
        ))
    };
    let indent = source.indent_at(line_start);
    let line = &text[usize::from(line_start)..];
    let code_start =
        line_start + TextSize::of(&line[..line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len()]);
    let trivia = |k: TokenKind| {
        matches!(k, TokenKind::Comment | TokenKind::NonLogicalNewline | TokenKind::Indent | TokenKind::Dedent)
    };
    // x = f(        <- the statement starts on an earlier line: the comment is not a doc comment above it
    //     open(p))  #: doc
    let before = tokens.iter().rfind(|t| t.end() <= code_start && !trivia(t.kind()));
    if before.is_some_and(|t| t.kind() != TokenKind::Newline) {
        return cannot("the statement starts on an earlier line");
    }
    // x = f(open(p),  #: doc    <- the statement goes on: this comment is not the one Sphinx reads after it
    //       q)
    // a = 1; b = open(p)  #: doc
    let on_line = |t: &&ruff_python_ast::token::Token| t.start() >= line_start && t.end() <= doc.start();
    let after = tokens.iter().find(|t| t.start() >= doc.end() && t.kind() != TokenKind::Comment);
    if after.is_some_and(|t| !matches!(t.kind(), TokenKind::Newline | TokenKind::EndOfFile))
        || tokens.iter().filter(on_line).any(|t| t.kind() == TokenKind::Semi)
    {
        return cannot("the statement does not take the whole line");
    }
    if line_start > TextSize::default() {
        let above = source.line_start(line_start - TextSize::from(1));
        if text[TextRange::new(above, line_start)].trim_start().starts_with("#:") {
            return cannot("a `#:` doc comment is already above it");
        }
    }
    let newline = match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        Some(_) => "\n",
        None if text.contains('\r') => "\r",
        None => "\n",
    };
    let code_end = line_start + TextSize::of(text[TextRange::new(line_start, doc.start())].trim_end());
    Ok(vec![
        Edit::insert(line_start, format!("{indent}{}{newline}", source.slice(doc))),
        Edit::replace(TextRange::new(code_end, doc.end()), format!("  # pyfix: ignore[{}]", names.join(", "))),
    ])
}

/// Byte offset of the start of 1-based `line`.
fn line_offset(text: &str, line: usize) -> Option<TextSize> {
    if line == 1 {
        return Some(TextSize::default());
    }
    let mut seen = 1;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
            seen += 1;
            if seen == line {
                return TextSize::try_from(i + 1).ok();
            }
        }
    }
    None
}

/// In a comment starting at `start`: an `ignore[...]` after `pyfix:` gives the offset of its `]` and the names
/// listed.
fn existing_ignore_list(comment: &str, start: TextSize) -> Option<(TextSize, Vec<String>)> {
    let i = comment.find("pyfix:")?;
    let after = &comment[i + "pyfix:".len()..];
    let rest = after.trim_start();
    let rest_at = i + "pyfix:".len() + (after.len() - rest.len());
    let inner_at = rest_at + rest.strip_prefix("ignore[").map(|_| "ignore[".len())?;
    let close = inner_at + comment[inner_at..].find(']')?;
    let names =
        comment[inner_at..close].split(',').map(|n| n.trim().replace('_', "-")).filter(|n| !n.is_empty()).collect();
    Some((start + TextSize::try_from(close).ok()?, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(line: usize, codemod: &'static str) -> Report {
        Report {
            line,
            col: 1,
            end_line: line,
            end_col: 2,
            codemod,
            message: String::new(),
            fix: None,
            fix_title: None,
            reason: None,
            edits: Vec::new(),
            cell: None,
            file_lines: None,
            line_hash: 0,
        }
    }

    #[test]
    fn appends_after_code_and_after_an_existing_comment() {
        let out = add_ignores("a = 1\nb = 2  # keep\n", &[report(1, "bare-open"), report(2, "bare-open")]);
        assert_eq!(out.text, "a = 1  # pyfix: ignore[bare-open]\nb = 2  # keep  # pyfix: ignore[bare-open]\n");
        assert_eq!(out.lines, 2);
    }

    #[test]
    fn merges_into_an_existing_ignore_list_once() {
        let text = "a = 1  # pyfix: ignore[mutable-default]\n";
        let out = add_ignores(text, &[report(1, "bare-open"), report(1, "bare-open"), report(1, "mutable-default")]);
        assert_eq!(out.text, "a = 1  # pyfix: ignore[mutable-default, bare-open]\n");
    }

    #[test]
    fn refuses_a_line_ending_inside_a_string_or_after_a_backslash() {
        let text = "x = f(open(p), \"\"\"a\nb\"\"\")\ny = 1 + \\\n    2\n";
        let out = add_ignores(text, &[report(1, "bare-open"), report(3, "bare-open")]);
        assert_eq!(out.text, text);
        assert_eq!(out.refused.len(), 2, "{:?}", out.refused);
        assert!(out.refused[0].1.contains("string"));
        assert!(out.refused[1].1.contains("continuation"));
    }

    #[test]
    fn moves_a_sphinx_doc_comment_above_instead_of_writing_into_it() {
        let text = "class C:\n    log = open(p)  #: the log\n";
        let out = add_ignores(text, &[report(2, "bare-open")]);
        assert_eq!(out.text, "class C:\n    #: the log\n    log = open(p)  # pyfix: ignore[bare-open]\n");
        // Where moving it would change what Sphinx reads, the line is refused, not rewritten.
        for text in
            ["#: first\nlog = open(p)  #: second\n", "a = 1; log = open(p)  #: doc\n", "x = f(\n    open(p))  #: doc\n"]
        {
            let line = text.lines().count();
            let out = add_ignores(text, &[report(line, "bare-open")]);
            assert_eq!(out.text, text);
            assert!(out.refused[0].1.contains("Sphinx"), "{:?}", out.refused);
        }
    }

    #[test]
    fn keeps_crlf() {
        let out = add_ignores("a = 1\r\nb = 2\r\n", &[report(2, "bare-open")]);
        assert_eq!(out.text, "a = 1\r\nb = 2  # pyfix: ignore[bare-open]\r\n");
    }
}
