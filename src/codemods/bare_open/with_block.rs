//! The edits of a `with` block over a named handle's uses: the `with` line, the re-indented body, the `close()` it
//! replaces, statements split off `;` lines, and the blank lines and lint comments around the open.

use ruff_python_ast::{self as ast, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::fix::delete_stmts_keeping_comments_at;
use crate::codemods::{Context, Finding};
use crate::edit::{Edit, Fix};

use super::plan::Plan;
use super::resources::NAME;

/// How the `with` line is written.
pub(super) enum Header<'c> {
    /// `f = open(p)` becomes `with open(p) as f:`: the call, the start of the `with` line (`with open(p)`,
    /// `with closing(sqlite3.connect(p))`, `async with ...`) and the import that needs.
    Replace(&'c ast::ExprCall, String, Option<Edit>),
    /// `with f:` goes before the statement after `block[i]` (a `try` that opened `f` with the call at this range).
    Before(TextRange),
}

pub(super) fn with_block(
    cx: &Context,
    block: &[Stmt],
    i: usize,
    plan: &Plan,
    header: Header,
    name: &str,
    message: String,
) -> Finding {
    let Plan { last, close_stmt, ref unsafe_reason, split } = *plan;
    let stmt = &block[i];
    let indent = cx.source.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent).to_string();
    let le = cx.style.line_ending;
    let src = cx.source;
    let (mut edits, body_start, range) = match header {
        Header::Replace(call, ref head, ref import) => {
            let head = realigned(cx, call, head, indent);
            let mut edits = vec![Edit::replace(stmt.range(), format!("{head} as {name}:"))];
            edits.extend(import.clone());
            if src.ends_line(stmt.end()) {
                edits.extend(lint_comment_edit(cx, stmt.end()));
                edits.extend(blank_lines_before(cx, block, i, last));
            }
            (edits, stmt.end(), call.range())
        }
        Header::Before(call) => {
            let at = src.line_start(block[i + 1].start());
            // The range starts on the line before, so the first body line is re-indented too.
            (vec![Edit::insert(at, format!("{indent}with {name}:{le}"))], at - TextSize::from(1), call)
        }
    };
    let body_range = TextRange::new(body_start, block[last].end());
    let close = close_stmt.map(|c| &block[c]);
    let close_alone = close.is_some_and(|c| cx.stands_alone(c.range()));
    // `f.close(); return data`: the rest of the line leaves the block with the close.
    let close_ends_block_line =
        close.is_some_and(|c| close_stmt == Some(last) && src.starts_line(c.start()) && !src.ends_line(c.end()));
    let close_line = close.map(|c| cx.full_lines(c.range()));
    edits.extend(cx.reindent(body_range, &unit).into_iter().filter(|e| {
        !(close_alone || close_ends_block_line) || !close_line.is_some_and(|l| l.contains(e.range.start()))
    }));
    // Statements joined by `;`: each goes on a line of its own, inside the block up to `last`, after it outside.
    let mut skip_separator = None;
    if let (Some(c), Some(close)) = (close_stmt, close) {
        if close_alone {
            // Invariant: statements stand between the open and the close (`closed_next` leaves an open followed at
            // once by its close alone), so removing the close never empties the block.
            // Its comments stay, at the block's indentation; a blank run on both sides of it keeps one side.
            // Invariant: `close_alone`, so the deletion is never refused.
            let deletion = delete_stmts_keeping_comments_at(cx, close.range(), &format!("{indent}{unit}"));
            edits.extend(deletion.ok().map(|(edit, _)| edit));
        } else if !src.starts_line(close.start()) {
            // `data = f.read(); f.close()`
            edits.push(Edit::delete(TextRange::new(block[c - 1].end(), close.end())));
            skip_separator = Some(c);
        } else {
            // `f.close(); return data`
            edits.push(Edit::delete(TextRange::new(close.start(), block[c + 1].start())));
            skip_separator = Some(c + 1);
        }
    } else if last == i {
        // Nothing uses the file: an empty block. After the end of the line, so a trailing comment stays on the
        // `with` line.
        let at = if src.ends_line(stmt.end()) { src.line_end(stmt.end()) } else { stmt.end() };
        edits.push(Edit::insert(at, format!("{le}{indent}{unit}pass")));
    }
    if split {
        let mut k = i + 1;
        while k < block.len() && (k <= last || !src.starts_line(block[k].start())) {
            if !src.starts_line(block[k].start()) && skip_separator != Some(k) {
                let inner = if k <= last { unit.as_str() } else { "" };
                let separator = TextRange::new(block[k - 1].end(), block[k].start());
                edits.push(Edit::replace(separator, format!("{le}{indent}{inner}")));
            }
            k += 1;
        }
    }
    let title = match (&header, stmt) {
        (Header::Replace(..), _) => format!("Open `{name}` in a `with` block"),
        (Header::Before(_), Stmt::If(_)) => format!("Close `{name}` with a `with {name}:` block after the `if`"),
        (Header::Before(_), Stmt::Try(_)) => format!("Close `{name}` with a `with {name}:` block after the `try`"),
        (Header::Before(_), _) => format!("Clean up `{name}` with a `with {name}:` block"),
    };
    Finding::new(NAME, range, message, Fix::new(title, unsafe_reason.clone(), edits))
}

/// `x = f(a,\n      b)` becomes `with f(a,\n     b) as x:`: continuation lines aligned under the call's
/// arguments (deeper than the call's first column) move by as much as the call moved, so they stay aligned. Hanging
/// indents, lines inside strings and tab-indented lines stay as they are.
fn realigned(cx: &Context, call: &ast::ExprCall, head: &str, indent: &str) -> String {
    let src = cx.source;
    let text = src.slice(call.range());
    let Some(pos) = head.find(text) else { return head.to_string() };
    if !text.contains('\n') || head[..pos].contains('\n') {
        return head.to_string();
    }
    let old_col = (call.start() - src.line_start(call.start())).to_usize();
    let new_col = indent.len() + pos;
    if old_col == new_col || src.indent_at(call.start()).contains('\t') {
        return head.to_string();
    }
    let mut out = String::with_capacity(head.len() + 16);
    out.push_str(&head[..pos]);
    let mut offset = call.start();
    for (k, line) in text.split_inclusive('\n').enumerate() {
        let width = line.len() - line.trim_start_matches(' ').len();
        let aligned = k > 0 && width > old_col && !line.trim().is_empty() && !src.in_string(offset);
        if aligned && new_col > old_col {
            out.push_str(&" ".repeat(new_col - old_col));
            out.push_str(line);
        } else if aligned {
            out.push_str(&line[old_col - new_col..]);
        } else {
            out.push_str(line);
        }
        offset += TextSize::of(line);
    }
    out.push_str(&head[pos + text.len()..]);
    out
}

/// Blank lines right after the open (before the next statement, or before a comment line above it) stay outside the
/// block: they move above the
/// `with` line, unless a blank line stands there already (two would be one too many, pycodestyle's E303), or go at
/// the top of a block.
fn blank_lines_before(cx: &Context, block: &[Stmt], i: usize, last: usize) -> Vec<Edit> {
    let src = cx.source;
    if last == i {
        return Vec::new();
    }
    // The blank lines right after the open, up to the next statement or a comment line above it.
    let start = src.next_line_start(block[i].end());
    let until = src.line_start(block[i + 1].start());
    let mut end = start;
    while end < until && src.slice(TextRange::new(end, src.next_line_start(end).min(until))).trim().is_empty() {
        end = src.next_line_start(end).min(until);
    }
    let gap = TextRange::new(start, end);
    if gap.is_empty() {
        return Vec::new();
    }
    let mut edits = vec![Edit::delete(gap)];
    let open_line = src.line_start(block[i].start());
    let blank_above = open_line > TextSize::from(0) && {
        let above = TextRange::new(src.line_start(open_line - TextSize::from(1)), open_line);
        src.slice(above).trim().is_empty()
    };
    if i > 0 && !blank_above {
        edits.push(Edit::insert(src.line_start(block[i].start()), src.slice(gap)));
    }
    edits
}

/// A lint code that asks for a `with` around an open: ruff's `SIM115`, pylint's `consider-using-with` (`R1732`).
fn is_with_code(code: &str) -> bool {
    matches!(code.to_ascii_lowercase().as_str(), "sim115" | "consider-using-with" | "r1732")
}

/// The line holding `offset` carries `# noqa: SIM115` or `# pylint: disable=consider-using-with` (or `R1732`): the
/// author says the handle is managed by hand.
pub(super) fn marked_managed(cx: &Context, offset: TextSize) -> bool {
    let line = TextRange::new(cx.source.line_start(offset), cx.source.line_end(offset));
    cx.source.comments_in(line).iter().any(|c| {
        cx.source.slice(*c).split('#').map(str::trim).any(|part| {
            let lower = part.to_ascii_lowercase();
            let list = if let Some(rest) = lower.strip_prefix("noqa:") {
                rest
            } else if lower.starts_with("pylint:") && lower.contains("disable") {
                lower.split_once('=').map_or("", |(_, l)| l)
            } else {
                return false;
            };
            list.split([',', ' ']).map(str::trim).any(is_with_code)
        })
    })
}

/// The comment that ends the line at `end`, without the codes that asked for a `with` (`# noqa: SIM115`,
/// `# pylint: disable=consider-using-with`); the whole comment goes when nothing else is left. `None` when there is
/// nothing to change.
pub(super) fn lint_comment_edit(cx: &Context, end: TextSize) -> Option<Edit> {
    let comment = cx.source.trailing_comment(end)?;
    let tail = TextRange::new(end, comment.end());
    let text = cx.source.slice(tail);
    let comment = cx.source.slice(comment);
    let mut kept: Vec<String> = Vec::new();
    let mut changed = false;
    // `# noqa: SIM115 # handle managed explicitly`: the text after a directive that goes is its justification.
    let mut justification = false;
    for part in comment.split('#').map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_ascii_lowercase();
        let directive = lower.starts_with("noqa") || lower.starts_with("pylint:") || lower.starts_with("type:");
        if justification && !directive {
            continue;
        }
        justification = false;
        let (prefix, list, sep) = if lower.starts_with("noqa:") {
            ("noqa: ", &part[5..], ", ")
        } else if lower.starts_with("pylint:") && lower.contains("disable") && part.contains('=') {
            let eq = part.find('=').unwrap_or(part.len() - 1);
            (&part[..=eq], &part[eq + 1..], ",")
        } else {
            kept.push(part.to_string());
            continue;
        };
        let codes: Vec<&str> = list.split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()).collect();
        let rest: Vec<&str> = codes.iter().copied().filter(|c| !is_with_code(c)).collect();
        if rest.len() == codes.len() {
            kept.push(part.to_string());
            continue;
        }
        changed = true;
        if rest.is_empty() {
            justification = true;
        } else {
            kept.push(format!("{prefix}{}", rest.join(sep)));
        }
    }
    if !changed {
        return None;
    }
    let gap = &text[..text.len() - comment.len()];
    let new = if kept.is_empty() {
        String::new()
    } else {
        format!("{gap}{}", kept.iter().map(|k| format!("# {k}")).collect::<Vec<_>>().join("  "))
    };
    Some(Edit::replace(tail, new))
}
