//! Text edits on byte ranges: `Edit`, `Fix`, `Applicability`, and `apply`.
//! This module knows text and ranges only, never Python.

use ruff_text_size::{TextRange, TextSize};

/// Replace `range` of the original text with `content`. Insertion: empty range. Deletion: empty content.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Edit { range, content: content.into() }
    }
    pub fn insert(at: TextSize, content: impl Into<String>) -> Self {
        Edit { range: TextRange::empty(at), content: content.into() }
    }
    pub fn delete(range: TextRange) -> Self {
        Edit { range, content: String::new() }
    }
}

/// Ordered so that `fix.applicability >= required` reads naturally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// May change behaviour beyond removing the leak; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Keeps behaviour except for the leak itself; applied by a plain `pyfix` run.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Edits that land together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The remedy, imperative: "Wrap the call in `with`".
    pub title: String,
    pub applicability: Applicability,
    /// Why the fix is `Unsafe` (shown by `--check`). Invariant: `Some` exactly when `applicability` is `Unsafe`.
    pub reason: Option<String>,
    // Invariant: sorted by (start, end), non-overlapping (an insertion may sit at the start of a replacement).
    edits: Vec<Edit>,
}

impl Fix {
    /// A fix that is `Unsafe` exactly when there is a reason it may change behaviour. `None` when two edits
    /// overlap: a codemod bug that must not corrupt a file.
    pub fn new(title: impl Into<String>, unsafe_reason: Option<String>, mut edits: Vec<Edit>) -> Option<Fix> {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        edits.dedup();
        if edits.windows(2).any(|w| w[0].range.end() > w[1].range.start()) {
            return None;
        }
        let applicability = if unsafe_reason.is_some() { Applicability::Unsafe } else { Applicability::Safe };
        Some(Fix { title: title.into(), applicability, reason: unsafe_reason, edits })
    }
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(title, None, edits)
    }
    pub fn unsafe_because(title: impl Into<String>, reason: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(title, Some(reason.into()), edits)
    }
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }
    fn range(&self) -> TextRange {
        let start = self.edits.first().map_or(TextSize::default(), |e| e.range.start());
        let end = self.edits.iter().map(|e| e.range.end()).max().unwrap_or(start);
        TextRange::new(start, end)
    }
}

pub struct Applied {
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
}

/// Applies `fixes` left to right. A fix whose edits overlap an edit already applied is skipped whole;
/// an edit identical to one already applied is applied once (two fixes asking for the same import get one line).
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<&Fix> = fixes.to_vec();
    order.sort_by_key(|f| (f.range().start(), f.range().end()));
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in order {
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !accepted.contains(e)).collect();
        let clashes = new.iter().any(|e| accepted.iter().any(|a| overlaps(a.range, e.range)));
        // It overlaps a fix applied before it: it gets another pass, on the new text.
        if clashes {
            continue;
        }
        accepted.extend(new);
        applied += 1;
    }
    accepted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0usize;
    for edit in accepted {
        let (start, end) = (usize::from(edit.range.start()), usize::from(edit.range.end()));
        out.push_str(&text[last..start]);
        out.push_str(&edit.content);
        last = end;
    }
    out.push_str(&text[last..]);
    Applied { text: out, applied }
}

/// Two insertions at the same offset clash (their order would be arbitrary); an insertion at the
/// boundary of a replacement does not.
fn overlaps(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start() == b.start();
    }
    a.start() < b.end() && b.start() < a.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let a = Fix::safe("a", vec![Edit::replace(r(0, 1), "X")]).unwrap();
        let b = Fix::safe("b", vec![Edit::replace(r(0, 2), "Y")]).unwrap();
        let c = Fix::safe("c", vec![Edit::insert(4.into(), "!")]).unwrap();
        let out = apply("abcdef", &[&c, &b, &a]);
        assert_eq!(out.applied, 2, "the fix overlapping `a` waits for the next pass");
        assert_eq!(out.text, "Xbcd!ef");
    }

    #[test]
    fn identical_edits_apply_once() {
        let import = Edit::insert(0.into(), "import weakref\n");
        let a = Fix::safe("a", vec![import.clone(), Edit::replace(r(0, 1), "A")]).unwrap();
        let b = Fix::safe("b", vec![import, Edit::replace(r(2, 3), "C")]).unwrap();
        let out = apply("abc", &[&a, &b]);
        assert_eq!(out.text, "import weakref\nAbC");
        assert_eq!(out.applied, 2);
    }

    #[test]
    fn overlapping_edits_make_no_fix() {
        assert!(Fix::safe("x", vec![Edit::replace(r(0, 3), "a"), Edit::replace(r(2, 4), "b")]).is_none());
    }
}
