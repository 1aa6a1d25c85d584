//! Text edits on byte ranges: `Edit`, `Fix`, `Applicability`, and `apply`.
//! This module knows text, lines and ranges only, never Python.

use std::collections::{BTreeMap, HashSet};

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
    /// Indices into `fixes` of the fixes applied, ascending.
    pub accepted: Vec<usize>,
    /// Indices of fixes with an edit outside the text or splitting a character (a codemod bug), never applied.
    pub invalid: Vec<usize>,
    /// Where the applied edits went: maps offsets in `text` back to the input text.
    pub map: OffsetMap,
}

/// Applies `fixes` in order of position. A fix is skipped whole (it waits for the next pass, recomputed on the new
/// text) when one of its edits touches a line that an edit of a fix applied before it touches: two fixes on the same
/// lines may each be right alone and wrong together (two `with` blocks around the same statements). An edit identical
/// to one already applied is applied once and does not clash (two fixes asking for the same import get one line).
///
/// Cost: O(size + E log E) for E edits: one line index, one sort, and an ordered map of the lines already taken.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let lines = LineStarts::new(text);
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        let r = fixes[i].range();
        (r.start(), r.end(), i)
    });
    let mut taken = LineSet::default();
    let mut seen: HashSet<&Edit> = HashSet::new();
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut accepted = Vec::new();
    let mut invalid = Vec::new();
    for i in order {
        let fix = fixes[i];
        if fix.edits.is_empty() {
            // Nothing to apply: counting it would make the fix loop spin on an unchanged text.
            continue;
        }
        if !fix.edits.iter().all(|e| fits(text, e.range)) {
            invalid.push(i);
            continue;
        }
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !seen.contains(e)).collect();
        if new.iter().any(|e| taken.intersects(lines.span(e.range))) {
            continue;
        }
        for e in new {
            taken.insert(lines.span(e.range));
            seen.insert(e);
            chosen.push(e);
        }
        accepted.push(i);
    }
    accepted.sort_unstable();
    invalid.sort_unstable();
    // Invariant: edits of different fixes lie on different lines, and a fix's own edits do not overlap, so sorted
    // by (start, end) they are disjoint (an insertion sorts before a replacement starting at the same offset).
    chosen.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len() + chosen.iter().map(|e| e.content.len()).sum::<usize>());
    let mut spans = Vec::with_capacity(chosen.len());
    let mut last = 0usize;
    for edit in chosen {
        let (start, end) = (usize::from(edit.range.start()), usize::from(edit.range.end()));
        out.push_str(&text[last..start]);
        let new_start = out.len();
        out.push_str(&edit.content);
        spans.push(Span { old: edit.range, new: TextRange::new(size(new_start), size(out.len())) });
        last = end;
    }
    out.push_str(&text[last..]);
    Applied { text: out, applied: accepted.len(), accepted, invalid, map: OffsetMap { spans } }
}

/// The range lies inside the text and on character boundaries.
fn fits(text: &str, range: TextRange) -> bool {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::from(u32::MAX))
}

/// Maps offsets in an edited text back to the text before the edits.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    // Invariant: sorted by `old.start()` and by `new.start()` (both orders agree), disjoint.
    spans: Vec<Span>,
}

#[derive(Clone, Copy, Debug)]
struct Span {
    old: TextRange,
    new: TextRange,
}

impl OffsetMap {
    /// The offset in the old text that `offset` in the new text came from; an offset inside inserted or replaced
    /// text maps to the start of what it replaced.
    pub fn to_old(&self, offset: TextSize) -> TextSize {
        let i = self.spans.partition_point(|s| s.new.start() <= offset);
        if i == 0 {
            return offset;
        }
        let s = self.spans[i - 1];
        if offset < s.new.end() {
            s.old.start()
        } else {
            s.old.end() + (offset - s.new.end())
        }
    }
}

/// Where each line starts (after `\n`, `\r\n` or a lone `\r`, as Python reads line endings).
struct LineStarts(Vec<u32>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineStarts(starts)
    }

    /// 0-based line holding `offset`.
    fn line(&self, offset: TextSize) -> u32 {
        let i = self.0.partition_point(|&s| s <= u32::from(offset));
        u32::try_from(i.saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The lines an edit of `range` touches: an insertion touches its line; a replacement every line it covers
    /// (a range ending at the start of a line does not touch that line).
    fn span(&self, range: TextRange) -> (u32, u32) {
        let first = self.line(range.start());
        let last = if range.is_empty() { first } else { self.line(range.end() - TextSize::from(1)) };
        (first, last.max(first))
    }
}

/// A set of lines as disjoint, non-adjacent inclusive intervals keyed by their first line.
#[derive(Default)]
struct LineSet(BTreeMap<u32, u32>);

impl LineSet {
    fn intersects(&self, (first, last): (u32, u32)) -> bool {
        // The interval starting last at or before `last` is the only one that can reach back to `first`.
        self.0.range(..=last).next_back().is_some_and(|(_, &end)| end >= first)
    }

    fn insert(&mut self, (mut first, mut last): (u32, u32)) {
        if let Some((&s, &e)) = self.0.range(..=first).next_back() {
            if e.saturating_add(1) >= first {
                first = s;
                last = last.max(e);
            }
        }
        while let Some((&s, &e)) = self.0.range(first..=last.saturating_add(1)).next() {
            self.0.remove(&s);
            last = last.max(e);
        }
        self.0.insert(first, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn applies_in_order_and_skips_fixes_on_lines_already_taken() {
        let text = "ab\ncd\nef\n";
        let a = Fix::safe("a", vec![Edit::replace(r(0, 1), "X")]).unwrap();
        let b = Fix::safe("b", vec![Edit::replace(r(1, 2), "Y")]).unwrap();
        let c = Fix::safe("c", vec![Edit::insert(6.into(), "!")]).unwrap();
        let out = apply(text, &[&c, &b, &a]);
        assert_eq!(out.applied, 2, "`b` touches the line `a` took: it waits for the next pass");
        assert_eq!(out.accepted, vec![0, 2]);
        assert_eq!(out.text, "Xb\ncd\n!ef\n");
    }

    #[test]
    fn a_fix_spanning_lines_blocks_every_fix_on_those_lines() {
        // Two `with` rewrites: the first re-indents lines 2-3, the second rewrites line 2.
        let text = "a\nb\nc\nd\n";
        let first = Fix::safe("first", vec![Edit::replace(r(0, 1), "A"), Edit::replace(r(2, 5), "B\nC")]).unwrap();
        let second = Fix::safe("second", vec![Edit::insert(4.into(), "  ")]).unwrap();
        let third = Fix::safe("third", vec![Edit::insert(6.into(), "  ")]).unwrap();
        let out = apply(text, &[&first, &second, &third]);
        assert_eq!(out.accepted, vec![0, 2], "line 3 (`c`) is taken; line 4 (`d`) is free");
        assert_eq!(out.text, "A\nB\nC\n  d\n");
    }

    #[test]
    fn a_replacement_ending_at_a_line_start_does_not_take_that_line() {
        let text = "a\nb\n";
        let delete = Fix::safe("del", vec![Edit::delete(r(0, 2))]).unwrap();
        let insert = Fix::safe("ins", vec![Edit::insert(2.into(), "#")]).unwrap();
        assert_eq!(apply(text, &[&delete, &insert]).text, "#b\n");
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let text = "a\rb\r\nc";
        let a = Fix::safe("a", vec![Edit::replace(r(0, 1), "A")]).unwrap();
        let b = Fix::safe("b", vec![Edit::replace(r(2, 3), "B")]).unwrap();
        let c = Fix::safe("c", vec![Edit::replace(r(5, 6), "C")]).unwrap();
        let out = apply(text, &[&a, &b, &c]);
        assert_eq!(out.applied, 3);
        assert_eq!(out.text, "A\rB\r\nC");
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_never_applied() {
        let text = "é\nx\n";
        let past = Fix::safe("past", vec![Edit::insert(99.into(), "!")]).unwrap();
        let split = Fix::safe("split", vec![Edit::insert(1.into(), "!")]).unwrap();
        let good = Fix::safe("good", vec![Edit::replace(r(3, 4), "y")]).unwrap();
        let out = apply(text, &[&past, &split, &good]);
        assert_eq!(out.invalid, vec![0, 1]);
        assert_eq!(out.text, "é\ny\n");
    }

    #[test]
    fn a_fix_without_edits_is_not_counted() {
        let empty = Fix::safe("nothing", vec![]).unwrap();
        let out = apply("x\n", &[&empty]);
        assert_eq!((out.applied, out.text.as_str()), (0, "x\n"));
    }

    #[test]
    fn the_offset_map_leads_back_to_the_old_text() {
        let text = "ab\ncd\nef\n";
        let a = Fix::safe("a", vec![Edit::insert(0.into(), "12345\n")]).unwrap();
        let b = Fix::safe("b", vec![Edit::replace(r(3, 5), "XYZW")]).unwrap();
        let out = apply(text, &[&a, &b]);
        assert_eq!(out.text, "12345\nab\nXYZW\nef\n");
        let old = |new: &str| usize::from(out.map.to_old(TextSize::try_from(out.text.find(new).unwrap()).unwrap()));
        assert_eq!(old("ab"), 0);
        assert_eq!(old("YZW"), 3, "inside a replacement: where it started");
        assert_eq!(old("ef"), 6);
        assert_eq!(old("345"), 0);
    }

    #[test]
    fn line_set_merges_and_finds_intervals() {
        let mut set = LineSet::default();
        set.insert((10, 12));
        set.insert((20, 20));
        assert!(!set.intersects((0, 9)) && !set.intersects((13, 19)) && !set.intersects((21, 30)));
        assert!(set.intersects((12, 15)) && set.intersects((0, 100)) && set.intersects((20, 20)));
        set.insert((13, 19));
        assert_eq!(set.0.len(), 1, "adjacent intervals merge: {:?}", set.0);
        assert!(set.intersects((15, 15)));
    }

    #[test]
    fn overlapping_edits_make_no_fix() {
        assert!(Fix::safe("x", vec![Edit::replace(r(0, 3), "a"), Edit::replace(r(2, 4), "b")]).is_none());
    }
}
