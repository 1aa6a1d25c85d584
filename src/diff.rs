//! Unified diffs of old and new text (the `similar` crate), optionally coloured for a terminal.
//! Cost is linear in the text for the local changes pyfix makes: large texts are aligned line by line and only
//! the stretches between aligned lines go through Myers' algorithm (which is O(size x changes) on the whole).

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, DiffOp};

/// Texts with more lines than this (old + new) are aligned before diffing; smaller ones get one exact Myers diff.
const EXACT_LINES: usize = 10_000;

/// How far (old + new lines) to look for the next line the texts share.
const SYNC_WINDOW: usize = 4_096;

/// A unified diff with `a/`/`b/` headers and three lines of context; empty when the texts are equal.
pub fn unified(old: &str, new: &str, path: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let old_lines = lines(old);
    let new_lines = lines(new);
    let ops = if old_lines.len() + new_lines.len() <= EXACT_LINES {
        similar::capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines)
    } else {
        aligned_ops(&old_lines, &new_lines)
    };
    let text = render(ops, &old_lines, &new_lines, path);
    if !color {
        return text;
    }
    colored(&text)
}

/// `similar`'s unified format: headers before the first hunk, `\ No newline at end of file` after a last line
/// without one.
fn render(ops: Vec<DiffOp>, old_lines: &[&str], new_lines: &[&str], path: &str) -> String {
    let mut text = String::new();
    for group in similar::group_diff_ops(ops, 3) {
        if group.is_empty() {
            continue;
        }
        if text.is_empty() {
            text.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
        }
        text.push_str(&format!("{}\n", UnifiedHunkHeader::new(&group)));
        for op in &group {
            for change in op.iter_changes(old_lines, new_lines) {
                let line = change.value();
                text.push_str(&change.tag().to_string());
                text.push_str(line);
                if !line.ends_with(['\r', '\n']) {
                    text.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    text
}

fn colored(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let code = if body.starts_with("+++") || body.starts_with("---") {
            "\x1b[1m"
        } else if body.starts_with('+') {
            "\x1b[32m"
        } else if body.starts_with('-') {
            "\x1b[31m"
        } else if body.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(code);
            out.push_str(body);
            out.push_str("\x1b[0m");
            out.push_str(nl);
        }
    }
    out
}

/// Lines with their endings (`\n`, `\r\n` or a lone `\r`), as `similar` splits them.
fn lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' | b'\n' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(&text[start..end]);
        start = end;
        i = end;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Diff operations for large texts: equal lines are matched greedily; at a difference, the nearest pair of equal
/// lines (fewest lines skipped on both sides together) resumes the match, and only the skipped stretch goes
/// through Myers. pyfix's changes are local, so each stretch is a few lines and the whole is linear; where nothing
/// matches within `SYNC_WINDOW`, a window of lines is diffed exactly and the alignment resumes after it (still a
/// correct diff, if not always the shortest).
fn aligned_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    let mut ops: Vec<DiffOp> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            let (start_old, start_new) = (i, j);
            while i < old.len() && j < new.len() && old[i] == new[j] {
                i += 1;
                j += 1;
            }
            push(&mut ops, DiffOp::Equal { old_index: start_old, new_index: start_new, len: i - start_old });
            continue;
        }
        // Nothing shared nearby: diff one window's worth exactly and carry on aligning after it.
        let window = SYNC_WINDOW / 2;
        let (a, b) = sync(old, new, i, j).unwrap_or(((old.len() - i).min(window), (new.len() - j).min(window)));
        for op in similar::capture_diff_slices(Algorithm::Myers, &old[i..i + a], &new[j..j + b]) {
            push(&mut ops, shifted(op, i, j));
        }
        i += a;
        j += b;
    }
    ops
}

/// The nearest (skip in old, skip in new) after which the texts share a line again, or both end.
fn sync(old: &[&str], new: &[&str], i: usize, j: usize) -> Option<(usize, usize)> {
    for k in 1..=SYNC_WINDOW {
        for a in 0..=k {
            let (p, q) = (i + a, j + (k - a));
            if p > old.len() || q > new.len() {
                continue;
            }
            let shared = p < old.len() && q < new.len() && old[p] == new[q];
            if shared || (p == old.len() && q == new.len()) {
                return Some((a, k - a));
            }
        }
    }
    None
}

fn shifted(op: DiffOp, di: usize, dj: usize) -> DiffOp {
    match op {
        DiffOp::Equal { old_index, new_index, len } => {
            DiffOp::Equal { old_index: old_index + di, new_index: new_index + dj, len }
        }
        DiffOp::Delete { old_index, old_len, new_index } => {
            DiffOp::Delete { old_index: old_index + di, old_len, new_index: new_index + dj }
        }
        DiffOp::Insert { old_index, new_index, new_len } => {
            DiffOp::Insert { old_index: old_index + di, new_index: new_index + dj, new_len }
        }
        DiffOp::Replace { old_index, old_len, new_index, new_len } => {
            DiffOp::Replace { old_index: old_index + di, old_len, new_index: new_index + dj, new_len }
        }
    }
}

/// Appends `op`, merging it into a preceding `Equal` (hunks are cut at long equal stretches, so they must be whole).
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    if let (Some(DiffOp::Equal { len: last, .. }), DiffOp::Equal { len, .. }) = (ops.last_mut(), op) {
        *last += len;
        return;
    }
    ops.push(op);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diff `similar` itself renders (exact Myers), for comparison.
    fn reference(old: &str, new: &str) -> String {
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .missing_newline_hint(true)
            .header("a/x.py", "b/x.py")
            .to_string()
    }

    #[test]
    fn small_texts_render_exactly_as_similar_does() {
        for (old, new) in [
            ("a\nb\n", "a\nc\n"),
            ("a\nb", "a\nb\nc"),
            ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
            ("a\rb\rc\r", "a\rc\r"),
            ("", "x\n"),
            ("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nend"),
        ] {
            assert_eq!(unified(old, new, "x.py", false), reference(old, new), "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn aligned_diffs_of_pyfix_like_changes_are_the_exact_ones() {
        // 300 functions, each changed the way pyfix changes them (the aligned path, forced here on a text small
        // enough for the exact diff to compare with).
        let mut old = String::new();
        let mut new = String::new();
        for i in 0..300 {
            old.push_str(&format!("def f{i}(x=[]):\n    fh = open(x)\n    x.append(fh.read())\n    return x\n\n"));
            new.push_str(&format!(
                "def f{i}(x=None):\n    if x is None:\n        x = []\n    with open(x) as fh:\n        x.append(fh.read())\n    return x\n\n"
            ));
        }
        let (old_lines, new_lines) = (lines(&old), lines(&new));
        let aligned = render(aligned_ops(&old_lines, &new_lines), &old_lines, &new_lines, "x.py");
        assert_eq!(aligned, reference(&old, &new));
    }

    #[test]
    fn large_texts_take_the_aligned_path() {
        let old: String = (0..6000).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "changed\n").replace("line 5000\n", "");
        assert!(lines(&old).len() + lines(&new).len() > EXACT_LINES);
        let d = unified(&old, &new, "x.py", false);
        assert_eq!(d.lines().filter(|l| l.starts_with("@@ ")).count(), 2, "two hunks\n{d}");
        assert!(d.contains("-line 10\n+changed\n") && d.contains("-line 5000\n"), "{d}");
    }

    #[test]
    fn aligned_ops_cover_both_texts_in_order() {
        let old: Vec<&str> = vec!["a\n", "b\n", "c\n", "d\n"];
        let new: Vec<&str> = vec!["x\n", "a\n", "c\n", "y\n", "z\n"];
        let ops = aligned_ops(&old, &new);
        let (mut i, mut j) = (0, 0);
        for op in &ops {
            assert_eq!((op.old_range().start, op.new_range().start), (i, j), "{ops:?}");
            i = op.old_range().end;
            j = op.new_range().end;
        }
        assert_eq!((i, j), (old.len(), new.len()));
    }

    #[test]
    fn texts_sharing_nothing_still_diff() {
        let old: String = (0..6000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..6000).map(|i| format!("new {i}\n")).collect();
        let d = unified(&old, &new, "x.py", false);
        assert!(d.starts_with("--- a/x.py\n+++ b/x.py\n@@ -1,6000 +1,6000 @@\n-old 0\n"), "{}", &d[..80]);
        assert!(d.contains("+new 5999\n"));
        assert_eq!(d.lines().count(), 3 + 12_000);
    }

    #[test]
    fn diff_has_headers_and_hunks() {
        let d = super::unified("a\nb\n", "a\nc\n", "x.py", false);
        assert!(d.starts_with("--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"), "{d}");
        assert_eq!(super::unified("a\n", "a\n", "x.py", false), "");
    }
}
