//! Deleting code: whole statement lines (keeping their comments and the blank-line rhythm around them) and one
//! item of a separated list (`global a, b`, `from m import a, b`). Whether to delete is the codemod's call.

use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::Context;
use crate::edit::Edit;

/// The comments inside `range` (whole-line and trailing), each on a line of its own at `indent`: what stays of
/// lines that are deleted or replaced. A trailing comment's directives for its own line (`# type: ignore`,
/// `# noqa: E501`, `# pylint: disable=...`, `# pragma: no cover`, ...) go with the code they were about: alone on a
/// line they would be orphaned (a `# type:` comment there means something else, or nothing).
pub fn kept_comments(cx: &Context, range: TextRange, indent: &str) -> String {
    let le = cx.style.line_ending;
    let src = cx.source;
    let mut out = String::new();
    for c in src.comments_in(range) {
        let text = src.slice(*c).trim_end();
        let trailing = !src.slice(TextRange::new(src.line_start(c.start()), c.start())).trim().is_empty();
        let text = if trailing { without_line_directives(text) } else { text.to_string() };
        if !text.is_empty() {
            out.push_str(&format!("{indent}{text}{le}"));
        }
    }
    out
}

/// `# done  # type: ignore` -> `# done`; `# noqa: E501` -> ``: the comment without the parts that direct a tool
/// about the line they end.
fn without_line_directives(comment: &str) -> String {
    const DIRECTIVES: &[&str] =
        &["type:", "noqa", "pylint:", "pyright:", "mypy:", "pragma:", "fmt:", "isort:", "nosec", "pyre-", "ruff:"];
    let parts: Vec<&str> = comment.split('#').map(str::trim).filter(|p| !p.is_empty()).collect();
    let kept: Vec<&str> =
        parts.iter().copied().filter(|p| !DIRECTIVES.iter().any(|d| p.to_ascii_lowercase().starts_with(d))).collect();
    if kept.len() == parts.len() {
        return comment.to_string();
    }
    kept.iter().map(|k| format!("# {k}")).collect::<Vec<_>>().join("  ")
}

/// Deletes the lines of the adjacent statements `stmts` covers, keeping every comment on them (re-indented to
/// the first one's indentation) and not leaving a doubled blank line or a blank line at the top of a block. Also
/// returns the range of lines deleted. Refuses when another statement shares those lines.
pub fn delete_stmts(cx: &Context, stmts: TextRange) -> Result<(Edit, TextRange), String> {
    delete_stmts_keeping_comments_at(cx, stmts, cx.source.indent_at(stmts.start()))
}

/// `delete_stmts` with the comments kept at `indent`: the statements' block is being re-indented around them.
pub fn delete_stmts_keeping_comments_at(
    cx: &Context,
    stmts: TextRange,
    indent: &str,
) -> Result<(Edit, TextRange), String> {
    if !cx.stands_alone(stmts) {
        return Err("a statement pyfix would remove shares its line with another".to_string());
    }
    let src = cx.source;
    let lines = cx.full_lines(stmts);
    let mut kept = kept_comments(cx, lines, indent);
    // The last line of the file may have no line break: neither does what replaces it.
    if !src.slice(lines).ends_with(['\n', '\r']) {
        kept.truncate(kept.trim_end_matches(['\n', '\r']).len());
    }
    let mut start = lines.start();
    let mut end = lines.end();
    let is_blank =
        |at: TextSize| at < src.text_len() && src.slice(TextRange::new(at, src.line_end(at))).trim().is_empty();
    let next_blank = is_blank(end);
    let prev_line = (start > TextSize::default()).then(|| src.line_start(start - TextSize::from(1)));
    let prev_blank = prev_line.is_some_and(is_blank);
    let prev_opens_block = prev_line.is_some_and(|p| {
        // `if x:  # why`: the code of the line, before its comment.
        let line = TextRange::new(p, src.line_end(p));
        let end = src.comments_in(line).first().map_or(line.end(), |c| c.start());
        src.slice(TextRange::new(p, end)).trim_end().ends_with(':')
    });
    if kept.is_empty() && next_blank {
        if prev_blank {
            // A blank run on both sides: drop the one before (module level keeps the rhythm before the next `def`).
            while let Some(p) = (start > TextSize::default()).then(|| src.line_start(start - TextSize::from(1))) {
                if !is_blank(p) {
                    break;
                }
                start = p;
            }
        } else if prev_line.is_none() || prev_opens_block {
            while is_blank(end) {
                end = src.next_line_start(end);
            }
        }
    }
    let range = TextRange::new(start, end);
    Ok((Edit::replace(range, kept), range))
}

/// Deletes `items[i]` with one separator next to it: the one after it, or before it for the last item
/// (`global a, b` -> `global b` or `global a`; also the `=` of chained targets `a = b = x`). `None` when
/// `items[i]` is the only item (the whole statement goes instead) or not there.
pub fn delete_list_item<T: Ranged>(items: &[T], i: usize) -> Option<Edit> {
    if items.len() < 2 || i >= items.len() {
        return None;
    }
    let range = if i + 1 < items.len() {
        TextRange::new(items[i].start(), items[i + 1].start())
    } else {
        TextRange::new(items[i - 1].end(), items[i].end())
    };
    Some(Edit::delete(range))
}
