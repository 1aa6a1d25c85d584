//! Unified diffs of old and new text (the `similar` crate), optionally coloured for a terminal.

use similar::TextDiff;

/// A unified diff with `a/`/`b/` headers and three lines of context; empty when the texts are equal.
pub fn unified(old: &str, new: &str, path: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !color {
        return text;
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn diff_has_headers_and_hunks() {
        let d = super::unified("a\nb\n", "a\nc\n", "x.py", false);
        assert!(d.starts_with("--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"), "{d}");
        assert_eq!(super::unified("a\n", "a\n", "x.py", false), "");
    }
}
