//! The evidence a run recorded, as pyfix reads it: `pyfix-evidence/1` JSON parsed into plain values, and several
//! files (or a run's child processes) merged into one. Pure: text in, values out; reading files is `load`'s job.
//! Unknown fields are ignored (the schema is forward compatible); a missing list is an empty one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

/// The schema version this pyfix reads.
pub const SCHEMA: &str = "pyfix-evidence/1";

/// A place in a file: an absolute, `realpath`ed path and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Site {
    pub path: PathBuf,
    pub line: usize,
}

/// `ResourceWarning`s with the same site, type and message.
#[derive(Clone, Debug)]
pub struct Warning {
    pub message: String,
    pub kind: String,
    /// Where the object was allocated; `None` when tracemalloc had no traceback for it.
    pub site: Option<Site>,
    /// Innermost frame first.
    pub traceback: Vec<Site>,
    pub count: u64,
}

/// Instances of a class freed only by the cycle collector, by allocation site.
#[derive(Clone, Debug)]
pub struct Cycle {
    pub class: String,
    /// The names of the classes it derives from (its MRO without itself and `object`).
    pub bases: Vec<String>,
    pub module_path: Option<PathBuf>,
    pub site: Option<Site>,
    pub count: u64,
    pub bytes: u64,
}

/// What one allocating line held (tracemalloc statistics by `lineno`).
#[derive(Clone, Debug)]
pub struct Held {
    pub site: Site,
    pub bytes: u64,
    pub count: u64,
}

/// A finding's object measured at exit: a cache or global (`global`), a function's default (`defaults`), an
/// `lru_cache` wrapper (`lru`).
#[derive(Clone, Debug)]
pub struct Target {
    pub site: Site,
    pub codemod: String,
    pub kind: String,
    pub name: String,
    pub ran: bool,
    pub len: Option<u64>,
    pub bytes: Option<u64>,
}

/// The evidence of every file given, merged.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// Files the traced program imported. `None` when no file said (memory-only evidence: a tracemalloc snapshot,
    /// memray's statistics): then a file counts as run when memory was allocated in it.
    pub modules: Option<BTreeSet<PathBuf>>,
    pub warnings: Vec<Warning>,
    pub cycles: Vec<Cycle>,
    /// Memory held by line at the start and at exit, summed over processes and files.
    pub start: BTreeMap<Site, Held>,
    pub end: BTreeMap<Site, Held>,
    pub targets: Vec<Target>,
}

impl Evidence {
    /// Bytes held at exit minus bytes held at the start, at `site` (0 when it shrank or was not recorded).
    pub fn growth(&self, site: &Site) -> u64 {
        let end = self.end.get(site).map_or(0, |h| h.bytes);
        let start = self.start.get(site).map_or(0, |h| h.bytes);
        end.saturating_sub(start)
    }

    /// Adds `other` (another file, another process): lists concatenated, entries with the same key summed, targets
    /// by (path, line, name) keeping the largest `len`.
    pub fn merge(&mut self, other: Evidence) {
        if let Some(modules) = other.modules {
            self.modules.get_or_insert_with(BTreeSet::new).extend(modules);
        }
        for w in other.warnings {
            match self.warnings.iter_mut().find(|x| {
                x.site == w.site && x.kind == w.kind && without_names(&x.message) == without_names(&w.message)
            }) {
                Some(x) => x.count += w.count,
                None => self.warnings.push(w),
            }
        }
        for c in other.cycles {
            match self
                .cycles
                .iter_mut()
                .find(|x| x.class == c.class && x.module_path == c.module_path && x.site == c.site)
            {
                Some(x) => {
                    x.count += c.count;
                    x.bytes += c.bytes;
                }
                None => self.cycles.push(c),
            }
        }
        for (map, add) in [(&mut self.start, other.start), (&mut self.end, other.end)] {
            for (site, h) in add {
                let e = map.entry(site).or_insert_with_key(|s| Held { site: s.clone(), bytes: 0, count: 0 });
                e.bytes += h.bytes;
                e.count += h.count;
            }
        }
        for t in other.targets {
            match self.targets.iter_mut().find(|x| x.site == t.site && x.name == t.name) {
                Some(x) => {
                    x.ran |= t.ran;
                    if t.len.unwrap_or(0) > x.len.unwrap_or(0) || x.len.is_none() {
                        x.len = t.len.or(x.len);
                        x.bytes = t.bytes.or(x.bytes);
                    }
                }
                None => self.targets.push(t),
            }
        }
    }
}

/// Parses a `pyfix-evidence/1` document. `Err`: what is wrong, for a one-line message.
pub fn parse(text: &str) -> Result<Evidence, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let Some(obj) = doc.as_object() else { return Err("not an evidence file (a JSON object was expected)".into()) };
    match obj.get("schema").and_then(Value::as_str) {
        Some(SCHEMA) => {}
        Some(other) => return Err(format!("unknown schema version `{other}` (this pyfix reads `{SCHEMA}`)")),
        None => return Err(format!("not an evidence file (no `\"schema\": \"{SCHEMA}\"`)")),
    }
    let list = |key: &str| obj.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let modules = obj
        .get("modules")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).map(PathBuf::from).collect::<BTreeSet<_>>());
    let warnings = list("resource_warnings")
        .iter()
        .map(|w| Warning {
            message: string(w, "message"),
            kind: string(w, "type"),
            site: site(w.get("site")),
            traceback: w
                .get("traceback")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(|f| site(Some(f))).collect())
                .unwrap_or_default(),
            count: number(w, "count").unwrap_or(1),
        })
        .collect();
    let cycles = list("cycle_garbage")
        .iter()
        .map(|c| Cycle {
            class: string(c, "class"),
            bases: c
                .get("bases")
                .and_then(Value::as_array)
                .map(|b| b.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            module_path: c.get("module_path").and_then(Value::as_str).map(PathBuf::from),
            site: site(c.get("site")),
            count: number(c, "count").unwrap_or(0),
            bytes: number(c, "bytes").unwrap_or(0),
        })
        .collect();
    let memory = obj.get("memory");
    let held = |key: &str| -> BTreeMap<Site, Held> {
        let mut out: BTreeMap<Site, Held> = BTreeMap::new();
        let entries = memory.and_then(|m| m.get(key)).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for e in entries {
            let Some(s) = site(Some(e)) else { continue };
            let h = out.entry(s).or_insert_with_key(|s| Held { site: s.clone(), bytes: 0, count: 0 });
            h.bytes += number(e, "bytes").unwrap_or(0);
            h.count += number(e, "count").unwrap_or(0);
        }
        out
    };
    let targets = list("targets")
        .iter()
        .filter_map(|t| {
            Some(Target {
                site: site(Some(t))?,
                codemod: string(t, "codemod"),
                kind: string(t, "kind"),
                name: string(t, "name"),
                ran: t.get("ran").and_then(Value::as_bool).unwrap_or(false),
                len: number(t, "len"),
                bytes: number(t, "bytes"),
            })
        })
        .collect();
    Ok(Evidence { modules, warnings, cycles, start: held("start"), end: held("end"), targets })
}

fn string(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A count or a size: a non-negative integer (a float is truncated; a negative or missing one is `None`).
fn number(v: &Value, key: &str) -> Option<u64> {
    let n = v.get(key)?;
    n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
}

/// `{"path": ..., "line": ...}`; `None` for null or an entry without both.
fn site(v: Option<&Value>) -> Option<Site> {
    let v = v?;
    let path = v.get("path")?.as_str()?;
    let line = usize::try_from(v.get("line")?.as_u64()?).ok()?;
    Some(Site { path: PathBuf::from(path), line })
}

/// A warning's message without the file name it names, so that one line opening many files is one entry:
/// `unclosed file <_io.TextIOWrapper name='a.txt' mode='r'>` -> `unclosed file <_io.TextIOWrapper mode='r'>`.
pub fn without_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("name=") {
        out.push_str(&rest[..i]);
        let value = &rest[i + "name=".len()..];
        let end = match value.chars().next() {
            Some(q @ ('\'' | '"')) => value[1..].find(q).map_or(value.len(), |j| j + 2),
            _ => value.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(value.len()),
        };
        rest = value[end..].trim_start();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(modules: &str, count: u64, len: u64) -> Evidence {
        let text = format!(
            r#"{{"schema": "pyfix-evidence/1", "modules": [{modules}],
               "resource_warnings": [{{"message": "m", "type": "socket", "site": {{"path": "/a.py", "line": 2}}, "count": {count}}}],
               "cycle_garbage": [{{"class": "Node", "module_path": "/a.py", "site": null, "count": {count}, "bytes": 10}}],
               "memory": {{"end": [{{"path": "/a.py", "line": 3, "bytes": 100, "count": 1}}]}},
               "targets": [{{"path": "/a.py", "line": 4, "name": "c", "ran": true, "len": {len}, "bytes": {len}}}]}}"#
        );
        parse(&text).unwrap()
    }

    #[test]
    fn parts_merge_summing_counts_and_keeping_the_largest_target() {
        let mut ev = part(r#""/a.py""#, 2, 50);
        ev.merge(part(r#""/b.py""#, 3, 7));
        assert_eq!(ev.modules.as_ref().map(|m| m.len()), Some(2));
        assert_eq!((ev.warnings.len(), ev.warnings[0].count), (1, 5));
        assert_eq!((ev.cycles.len(), ev.cycles[0].count, ev.cycles[0].bytes), (1, 5, 20));
        assert_eq!(ev.growth(&Site { path: "/a.py".into(), line: 3 }), 200);
        assert_eq!((ev.targets.len(), ev.targets[0].len), (1, Some(50)));
    }

    #[test]
    fn a_file_without_modules_is_memory_only() {
        let ev = parse(r#"{"schema": "pyfix-evidence/1", "memory": {"end": []}}"#).unwrap();
        assert!(ev.modules.is_none());
    }
}
