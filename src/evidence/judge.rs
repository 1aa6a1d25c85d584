//! Matching evidence to findings: a `Verdict` per finding (confirmed with its numbers, ran without leaking, not
//! run) and the growth no finding covers. Pure: the evidence and the findings (with their files' canonical paths)
//! in, values out. Reads only what a `Report` says (path, lines, codemod, message): never the code.

use std::collections::BTreeSet;
use std::path::Path;

use super::data::{Evidence, Site, Target};
use super::words::{count, counted, size};
use crate::report::Report;

/// What the evidence says about one finding. Ordered as findings are listed: confirmed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Confirmed,
    /// The file ran (was imported) and nothing it recorded points at the finding.
    Clean,
    /// The file ran, but what the finding is about leaves no trace a run records: an `mmap` or an executor left
    /// open gives no `ResourceWarning`, so its silence proves nothing.
    Unobservable,
    /// The file never ran in the traced program.
    NotRun,
}

impl Status {
    /// As text output says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Clean => "ran without leaking",
            Status::Unobservable => "ran, cannot tell",
            Status::NotRun => "not run",
        }
    }

    /// As JSON and SARIF spell it.
    pub fn key(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Clean => "ran-without-leaking",
            Status::Unobservable => "ran-cannot-tell",
            Status::NotRun => "not-run",
        }
    }
}

/// One finding's verdict: its status, the numbers behind it and a sentence saying them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    /// Objects, handles, entries or items the evidence counted for the finding.
    pub count: Option<u64>,
    /// Bytes they held.
    pub bytes: Option<u64>,
    pub summary: String,
}

impl Verdict {
    fn new(status: Status, count: Option<u64>, bytes: Option<u64>, summary: String) -> Verdict {
        Verdict { status, count, bytes, summary }
    }

    /// How findings are listed with evidence: confirmed, then ran without leaking, then not run; the most bytes
    /// held (then the largest count) first within each.
    pub fn rank(&self) -> (Status, std::cmp::Reverse<u64>, std::cmp::Reverse<u64>) {
        (self.status, std::cmp::Reverse(self.bytes.unwrap_or(0)), std::cmp::Reverse(self.count.unwrap_or(0)))
    }
}

/// One file's findings, as matching needs them.
pub struct FileFindings<'a> {
    /// Canonical (`realpath`), as the evidence records paths.
    pub path: &'a Path,
    pub reports: &'a [&'a Report],
    /// The `maxsize` the unbounded-cache fix gives a cache in this file: a cache that stayed within it lost nothing
    /// to the fix and leaked nothing.
    pub cache_maxsize: u32,
}

/// Evidence at a site no finding covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncovered {
    pub site: Option<Site>,
    pub bytes: u64,
    pub count: u64,
    pub summary: String,
}

/// How many uncovered sites are listed.
pub const UNCOVERED: usize = 10;

/// Below this, memory that grew on a line is noise (an empty list, a small buffer, a function object), not a leak.
const NOISE: u64 = 1024;

/// A verdict for every report of every file (in the same order) and the top `UNCOVERED` sites that matched none.
pub fn judge(ev: &Evidence, files: &[FileFindings]) -> (Vec<Vec<Verdict>>, Vec<Uncovered>) {
    let mut used_warnings = vec![false; ev.warnings.len()];
    let mut used_cycles = vec![false; ev.cycles.len()];
    let verdicts = files
        .iter()
        .map(|file| {
            let ran = ran(ev, file.path);
            file.reports.iter().map(|r| verdict(ev, file, r, ran, &mut used_warnings, &mut used_cycles)).collect()
        })
        .collect();
    (verdicts, uncovered(ev, files, &used_warnings, &used_cycles))
}

/// The file ran: the program imported it, or (memory-only evidence, which lists no modules) allocated in it.
fn ran(ev: &Evidence, path: &Path) -> bool {
    let in_file = |s: &Site| s.path == path;
    ev.modules.as_ref().is_some_and(|m| m.contains(path))
        || ev.end.keys().any(in_file)
        || ev.start.keys().any(in_file)
        || ev.targets.iter().any(|t| t.ran && in_file(&t.site))
        || ev.warnings.iter().any(|w| w.site.as_ref().is_some_and(in_file) || w.traceback.iter().any(in_file))
        || ev.cycles.iter().any(|c| c.module_path.as_deref() == Some(path) || c.site.as_ref().is_some_and(in_file))
}

fn inside(site: &Site, path: &Path, r: &Report) -> bool {
    site.path == path && (r.line..=r.end_line).contains(&site.line)
}

/// The lines a finding speaks for: its own; an unbounded cache's also those its fix rewrites, the function that
/// fills it, where its entries are allocated (their bytes are the cache's). Not a `with` block's body: what it
/// reads is not the handle's.
fn covers(r: &Report, line: usize) -> bool {
    (r.line..=r.end_line).contains(&line)
        || (r.codemod == "unbounded-cache" && r.edits.iter().any(|e| (e.start.0..=e.end.0).contains(&line)))
}

/// Memory that grew on the finding's lines (`covers`) between the start of the run and its end.
fn growth(ev: &Evidence, path: &Path, r: &Report) -> u64 {
    ev.end.keys().filter(|s| s.path == path && covers(r, s.line)).map(|s| ev.growth(s)).sum()
}

fn verdict(
    ev: &Evidence,
    file: &FileFindings,
    r: &Report,
    ran: bool,
    used_warnings: &mut [bool],
    used_cycles: &mut [bool],
) -> Verdict {
    let path = file.path;
    let grown = growth(ev, path, r);
    let specific = match r.codemod {
        // A ResourceWarning whose object was allocated on the opening call's lines (or called through them).
        "bare-open" => {
            let mut n = 0;
            let mut kinds = BTreeSet::new();
            for (i, w) in ev.warnings.iter().enumerate() {
                if w.site.iter().chain(&w.traceback).any(|s| inside(s, path, r)) {
                    used_warnings[i] = true;
                    n += w.count;
                    kinds.insert(w.kind.as_str());
                }
            }
            (n > 0).then(|| {
                let kinds: Vec<String> = kinds.iter().filter(|k| !k.is_empty()).map(|k| format!("`{k}`")).collect();
                let mut s = format!("{} left to the garbage collector", counted(n, "handle", "handles"));
                if !kinds.is_empty() {
                    s.push_str(&format!(" ({})", kinds.join(", ")));
                }
                if grown > 0 {
                    s.push_str(&format!(", {} still held at exit", size(grown)));
                }
                Verdict::new(Status::Confirmed, Some(n), (grown > 0).then_some(grown), s)
            })
        }
        // Instances of a class the finding names (the one holding the back reference, or its owner), defined in
        // this file, that only the cycle collector freed.
        "strong-backref" => {
            let names = class_names(&r.message);
            let (mut n, mut bytes, mut parts) = (0, 0, Vec::new());
            for (i, c) in ev.cycles.iter().enumerate() {
                let here = c.module_path.as_deref() == Some(path)
                    || (c.module_path.is_none() && c.site.as_ref().is_some_and(|s| s.path == path));
                // Instances of a subclass hold the link too (minidom's `Element` for a finding on `Node`).
                if here && (names.contains(c.class.as_str()) || c.bases.iter().any(|b| names.contains(b.as_str()))) {
                    used_cycles[i] = true;
                    n += c.count;
                    bytes += c.bytes;
                    parts.push((c.class.as_str(), c.count, c.bytes));
                }
            }
            (n > 0).then(|| {
                // One phrase per class, the class with the most instances first.
                let mut classes: Vec<(&str, u64, u64)> = Vec::new();
                for (class, count, bytes) in parts {
                    match classes.iter_mut().find(|(c, ..)| *c == class) {
                        Some(e) => {
                            e.1 += count;
                            e.2 += bytes;
                        }
                        None => classes.push((class, count, bytes)),
                    }
                }
                classes.sort_by_key(|&(c, n, b)| (std::cmp::Reverse(n), std::cmp::Reverse(b), c));
                let said: Vec<String> = classes
                    .iter()
                    .map(|(c, n, b)| {
                        format!("{} `{c}` {} freed only by the cycle collector, {}", count(*n), objects(*n), size(*b))
                    })
                    .collect();
                Verdict::new(Status::Confirmed, Some(n), Some(bytes), said.join("; "))
            })
        }
        "unbounded-cache" | "mutable-default" => {
            target(ev, path, r).map(|t| measured(t, r.codemod, file.cache_maxsize))
        }
        _ => None,
    };
    if let Some(v) = specific {
        return v;
    }
    // Memory-only evidence (a tracemalloc snapshot, memray) cannot say what an object is: memory that grew on the
    // finding's own lines is what it can show.
    if ev.modules.is_none() && ev.targets.is_empty() && grown > NOISE {
        return Verdict::new(
            Status::Confirmed,
            None,
            Some(grown),
            format!("{} allocated on its lines still held at exit", size(grown)),
        );
    }
    if ran {
        if let Some(kind) = (r.codemod == "bare-open").then(|| silent_kind(&r.message)).flatten() {
            return Verdict::new(
                Status::Unobservable,
                None,
                None,
                format!("`{kind}()` objects left open give no `ResourceWarning`: a run cannot show this leak"),
            );
        }
        let why = match r.codemod {
            "bare-open" => "ran; no `ResourceWarning` came from these lines",
            "strong-backref" => "ran; the cycle collector freed none of these objects",
            "unbounded-cache" | "mutable-default" if ev.modules.is_some() => "ran; this object was not measured",
            _ => "ran; nothing recorded on these lines",
        };
        Verdict::new(Status::Clean, None, None, why.to_string())
    } else {
        Verdict::new(Status::NotRun, None, None, "the traced program never imported this file".to_string())
    }
}

/// The opener a bare-open finding names (`the object from \`mmap.mmap()\``) when the objects it makes warn of nothing
/// when left open (CPython 3.11): no `ResourceWarning` from `mmap`, `sqlite3` connections (before 3.13), `dbm`/`shelve`,
/// `select`/`selectors` objects, `concurrent.futures` executors.
fn silent_kind(message: &str) -> Option<&str> {
    const SILENT: [&str; 9] = [
        "mmap.mmap",
        "sqlite3.connect",
        "dbm.open",
        "shelve.open",
        "select.epoll",
        "select.kqueue",
        "selectors.",
        "ThreadPoolExecutor",
        "ProcessPoolExecutor",
    ];
    let opener = message.split("from `").nth(1)?.split("()`").next()?;
    SILENT.iter().any(|s| opener.starts_with(s) || opener.ends_with(s)).then_some(opener)
}

fn objects(n: u64) -> &'static str {
    if n == 1 {
        "object"
    } else {
        "objects"
    }
}

/// The measured object of an unbounded-cache or mutable-default finding: the `targets` entry of the same codemod
/// at a line of the finding, in its file.
fn target<'e>(ev: &'e Evidence, path: &Path, r: &Report) -> Option<&'e Target> {
    ev.targets.iter().find(|t| (t.codemod.is_empty() || t.codemod == r.codemod) && inside(&t.site, path, r))
}

/// A cache grew when it holds more entries than the bound the fix would give it; a default, when it holds
/// anything at all.
fn measured(t: &Target, codemod: &str, maxsize: u32) -> Verdict {
    let name = if t.name.is_empty() { "it" } else { t.name.as_str() };
    if !t.ran {
        return Verdict::new(Status::NotRun, None, None, format!("`{name}` was never imported by the traced program"));
    }
    let len = t.len.unwrap_or(0);
    let bytes = t.bytes.filter(|b| *b > 0);
    let with_size = |s: String| match bytes {
        Some(b) => format!("{s}, {}", size(b)),
        None => s,
    };
    if codemod == "unbounded-cache" {
        if len > u64::from(maxsize) {
            let s = with_size(format!("cache grew to {}", counted(len, "entry", "entries")));
            Verdict::new(Status::Confirmed, Some(len), bytes, s)
        } else {
            let s = format!("cache held {} at exit, within the bound of {maxsize}", counted(len, "entry", "entries"));
            Verdict::new(Status::Clean, Some(len), bytes, s)
        }
    } else if len > 0 {
        let s = with_size(format!("default grew to {}", counted(len, "item", "items")));
        Verdict::new(Status::Confirmed, Some(len), bytes, s)
    } else {
        Verdict::new(Status::Clean, Some(0), bytes, "default was still empty at exit".to_string())
    }
}

/// The classes a strong-backref message names: each backquoted identifier, and the head of each backquoted
/// `Class.attribute` (`self` is never a class).
fn class_names(message: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    for (i, quoted) in message.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        let head = quoted.split('.').next().unwrap_or_default();
        let is_identifier = !head.is_empty()
            && head.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !head.starts_with(char::is_numeric);
        if is_identifier && head != "self" {
            names.insert(head);
        }
    }
    names
}

/// The top `UNCOVERED` sites (by bytes) with evidence no finding explains, in the files checked (the code pyfix
/// was pointed at: not the standard library's, nor `<frozen importlib._bootstrap>`): memory that grew on a line no
/// finding covers, cycle garbage and `ResourceWarning`s that matched no finding.
fn uncovered(ev: &Evidence, files: &[FileFindings], used_warnings: &[bool], used_cycles: &[bool]) -> Vec<Uncovered> {
    let checked: BTreeSet<&Path> = files.iter().map(|f| f.path).collect();
    let in_checked = |site: &Site| checked.contains(site.path.as_path());
    let covered =
        |site: &Site| files.iter().any(|f| f.path == site.path && f.reports.iter().any(|r| covers(r, site.line)));
    let mut out = Vec::new();
    for (site, held) in &ev.end {
        let grown = ev.growth(site);
        if grown <= NOISE || !in_checked(site) || covered(site) {
            continue;
        }
        let summary = if ev.start.contains_key(site) {
            format!("grew by {} ({} held at exit)", size(grown), counted(held.count, "block", "blocks"))
        } else {
            format!("{} allocated and still held at exit", size(grown))
        };
        out.push(Uncovered { site: Some(site.clone()), bytes: grown, count: held.count, summary });
    }
    let cycles = ev.cycles.iter().zip(used_cycles).filter(|(c, used)| {
        !**used
            && (c.site.as_ref().is_some_and(in_checked)
                || c.module_path.as_deref().is_some_and(|p| checked.contains(p)))
    });
    for (c, _) in cycles {
        let summary = format!(
            "{} `{}` {} freed only by the cycle collector, {}",
            count(c.count),
            c.class,
            objects(c.count),
            size(c.bytes)
        );
        out.push(Uncovered { site: c.site.clone(), bytes: c.bytes, count: c.count, summary });
    }
    let warnings =
        ev.warnings.iter().zip(used_warnings).filter(|(w, used)| {
            !**used && (w.site.as_ref().is_some_and(in_checked) || w.traceback.iter().any(in_checked))
        });
    for (w, _) in warnings {
        let kind = if w.kind.is_empty() { String::new() } else { format!(" (`{}`)", w.kind) };
        let summary = format!("{} left to the garbage collector{kind}", counted(w.count, "handle", "handles"));
        let bytes = w.site.as_ref().map_or(0, |s| ev.growth(s));
        out.push(Uncovered { site: w.site.clone(), bytes, count: w.count, summary });
    }
    out.sort_by(|a, b| (b.bytes, b.count).cmp(&(a.bytes, a.count)).then_with(|| a.site.cmp(&b.site)));
    out.truncate(UNCOVERED);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backref_message_names_its_classes() {
        let m = "`Shelf.warehouse` points back to the `Warehouse` that keeps the `Shelf` (line 33): a reference cycle";
        assert_eq!(class_names(m).into_iter().collect::<Vec<_>>(), ["Shelf", "Warehouse"]);
        let m = "`self.me = self` makes every `Node` a reference cycle";
        assert_eq!(class_names(m).into_iter().collect::<Vec<_>>(), ["Node"]);
    }
}
