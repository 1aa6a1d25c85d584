//! Per-file results kept between runs in `.pyfix_cache/` at the project root (or the `cache-dir` setting), keyed by
//! a hash of the file's bytes, its whole `FileSettings` and pyfix's version, so an unchanged file is not parsed again. A cache that cannot be read or written is ignored with a note, never an error.
//! Only `lib.rs` calls this; it owns the cache file and nothing else.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::edit::Applicability;
use crate::report::{Report, ReportEdit};
use crate::settings::FileSettings;

/// What a file's bytes gave, without the bytes: enough to report and, with the bytes, to write the fix again.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub findings: Vec<Report>,
    pub remaining: Vec<Report>,
    pub applied: usize,
    pub baselined: usize,
    pub notes: Vec<String>,
    pub fixed: Option<String>,
}

pub struct Cache {
    file: PathBuf,
    /// Path (as given) -> (key, entry), as read at the start.
    old: HashMap<String, (String, Value)>,
    /// Entries of this run: every file seen, looked up or new.
    new: Mutex<HashMap<String, (String, Value)>>,
}

/// The cache file's layout version: bump when `Entry`'s JSON changes.
const FORMAT: u32 = 3;

impl Cache {
    /// Opens (reads) the cache in `dir`. A missing cache is empty; an unreadable one is empty with a note.
    pub fn open(dir: &Path) -> (Cache, Option<String>) {
        let file = dir.join(format!("pyfix-{}.json", env!("CARGO_PKG_VERSION")));
        let mut note = None;
        let old = match std::fs::read(&file) {
            Ok(bytes) => match parse(&bytes) {
                Some(map) => map,
                None => {
                    note = Some(format!("{}: cache is corrupt; ignoring it (it will be rewritten)", file.display()));
                    HashMap::new()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => {
                note = Some(format!(
                    "{}: cannot read the cache ({}); running without it",
                    file.display(),
                    crate::discovery::describe_io(&e)
                ));
                HashMap::new()
            }
        };
        (Cache { file, old, new: Mutex::new(HashMap::new()) }, note)
    }

    /// The entry for `path` when it was stored under the same `key`.
    pub fn get(&self, path: &str, key: &str) -> Option<Entry> {
        let (k, value) = self.old.get(path)?;
        if k != key {
            return None;
        }
        let entry = entry_from_json(value)?;
        self.new.lock().ok()?.insert(path.to_string(), (k.clone(), value.clone()));
        Some(entry)
    }

    pub fn put(&self, path: &str, key: &str, entry: &Entry) {
        if let Ok(mut new) = self.new.lock() {
            new.insert(path.to_string(), (key.to_string(), entry_to_json(entry)));
        }
    }

    /// Writes the entries of this run plus the old ones for files this run did not see. `Err`: a note.
    pub fn save(self) -> Result<(), String> {
        let mut all = self.old;
        all.extend(self.new.into_inner().unwrap_or_default());
        let files: serde_json::Map<String, Value> =
            all.into_iter().map(|(path, (key, value))| (path, json!({ "key": key, "result": value }))).collect();
        let doc = json!({ "format": FORMAT, "files": files });
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let fail = |what: &str, e: std::io::Error| {
            format!(
                "{}: cannot {what} the cache ({}); continuing without it",
                dir.display(),
                crate::discovery::describe_io(&e)
            )
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("create", e))?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "# Created by pyfix: its cache, never committed.\n*\n")
                .map_err(|e| fail("write", e))?;
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail("write", e))?;
        tmp.write_all(doc.to_string().as_bytes()).map_err(|e| fail("write", e))?;
        tmp.persist(&self.file).map_err(|e| fail("write", e.error))?;
        Ok(())
    }
}

/// The key for a file: pyfix's version, the file's settings (every field: `FileSettings` is what changes a file's
/// result) and its bytes.
pub fn key(bytes: &[u8], settings: &FileSettings) -> String {
    // Two 64-bit SipHashes with different prefixes: 128 bits, so two different files never share a key in practice.
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        settings.hash(&mut h);
        bytes.hash(&mut h);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

fn parse(bytes: &[u8]) -> Option<HashMap<String, (String, Value)>> {
    let doc: Value = serde_json::from_slice(bytes).ok()?;
    if doc.get("format")?.as_u64()? != u64::from(FORMAT) {
        return Some(HashMap::new());
    }
    let files = doc.get("files")?.as_object()?;
    let mut out = HashMap::with_capacity(files.len());
    for (path, v) in files {
        out.insert(path.clone(), (v.get("key")?.as_str()?.to_string(), v.get("result")?.clone()));
    }
    Some(out)
}

fn entry_to_json(e: &Entry) -> Value {
    json!({
        "findings": e.findings.iter().map(report_to_json).collect::<Vec<_>>(),
        "remaining": e.remaining.iter().map(report_to_json).collect::<Vec<_>>(),
        "applied": e.applied,
        "baselined": e.baselined,
        "notes": e.notes,
        "fixed": e.fixed,
    })
}

fn entry_from_json(v: &Value) -> Option<Entry> {
    let reports = |key: &str| v.get(key)?.as_array()?.iter().map(report_from_json).collect::<Option<Vec<_>>>();
    Some(Entry {
        findings: reports("findings")?,
        remaining: reports("remaining")?,
        applied: usize::try_from(v.get("applied")?.as_u64()?).ok()?,
        baselined: usize::try_from(v.get("baselined")?.as_u64()?).ok()?,
        notes: v.get("notes")?.as_array()?.iter().map(|n| n.as_str().map(str::to_string)).collect::<Option<_>>()?,
        fixed: match v.get("fixed")? {
            Value::Null => None,
            s => Some(s.as_str()?.to_string()),
        },
    })
}

fn report_to_json(r: &Report) -> Value {
    json!([
        r.line,
        r.col,
        r.end_line,
        r.end_col,
        r.codemod,
        r.message,
        r.fix.map(Applicability::as_str),
        r.fix_title,
        r.reason,
        r.edits.iter().map(|e| json!([e.start.0, e.start.1, e.end.0, e.end.1, e.content])).collect::<Vec<_>>(),
        r.cell,
        r.file_lines.map(|(a, b)| [a, b]),
    ])
}

fn report_from_json(v: &Value) -> Option<Report> {
    let a = v.as_array()?;
    let n = |i: usize| a.get(i)?.as_u64().and_then(|x| usize::try_from(x).ok());
    let s = |i: usize| match a.get(i)? {
        Value::Null => Some(None),
        x => x.as_str().map(|x| Some(x.to_string())),
    };
    // The codemod name must be one this pyfix knows (the `&'static str` of the registry).
    let codemod = crate::codemods::by_name(a.get(4)?.as_str()?)?.name();
    let fix = match s(6)?.as_deref() {
        None => None,
        Some("safe") => Some(Applicability::Safe),
        Some("unsafe") => Some(Applicability::Unsafe),
        Some(_) => return None,
    };
    let edits = a
        .get(9)?
        .as_array()?
        .iter()
        .map(|e| {
            let e = e.as_array()?;
            let n = |i: usize| e.get(i)?.as_u64().and_then(|x| usize::try_from(x).ok());
            Some(ReportEdit { start: (n(0)?, n(1)?), end: (n(2)?, n(3)?), content: e.get(4)?.as_str()?.to_string() })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Report {
        line: n(0)?,
        col: n(1)?,
        end_line: n(2)?,
        end_col: n(3)?,
        codemod,
        message: s(5)??,
        fix,
        fix_title: s(7)?,
        reason: s(8)?,
        edits,
        cell: match a.get(10)? {
            Value::Null => None,
            x => Some(usize::try_from(x.as_u64()?).ok()?),
        },
        file_lines: match a.get(11)? {
            Value::Null => None,
            x => {
                let pair = x.as_array()?;
                let n = |i: usize| pair.get(i)?.as_u64().and_then(|x| usize::try_from(x).ok());
                Some((n(0)?, n(1)?))
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Codemods;
    use ruff_python_ast::PythonVersion;

    #[test]
    fn an_entry_round_trips_through_json() {
        let r = Report {
            line: 2,
            col: 9,
            end_line: 2,
            end_col: 19,
            codemod: "bare-open",
            message: "m".into(),
            fix: Some(Applicability::Unsafe),
            fix_title: Some("t".into()),
            reason: Some("why".into()),
            edits: vec![ReportEdit { start: (2, 5), end: (2, 19), content: "with".into() }],
            cell: Some(3),
            file_lines: Some((40, 41)),
        };
        let e = Entry {
            findings: vec![r.clone()],
            remaining: vec![r],
            applied: 1,
            baselined: 0,
            notes: vec!["n".into()],
            fixed: Some("x\n".into()),
        };
        assert_eq!(entry_from_json(&entry_to_json(&e)), Some(e));
    }

    use crate::codemods::{Closing, CodemodSettings, ResourceFactory};

    fn settings() -> FileSettings {
        use crate::codemods::ALL;
        FileSettings {
            codemods: Codemods(vec![ALL[0], ALL[1]]),
            target: crate::config::DEFAULT_TARGET,
            unsafe_fixes: false,
            apply: true,
            add_ignore: false,
            include_generated: false,
            codemod_settings: CodemodSettings {
                cache_maxsize: 128,
                resource_factories: vec![ResourceFactory {
                    qualified: "mylib.open_conn".into(),
                    closing: Closing::With,
                }],
                fix_noqa: false,
            },
            is_stub: false,
        }
    }

    #[test]
    fn keys_change_with_bytes_and_settings() {
        let s = settings();
        assert_eq!(key(b"a", &s), key(b"a", &settings()));
        assert_ne!(key(b"a", &s), key(b"b", &s));
        assert_eq!(key(b"a", &s).len(), 32);
    }

    /// Changing any one field of `FileSettings` changes the key. The struct is destructured without `..` and every
    /// binding is used, so a new field does not compile (or, unused, fails clippy) until it is varied here.
    #[test]
    fn every_field_of_the_file_settings_is_in_the_key() {
        let base = settings();
        let FileSettings {
            codemods,
            target,
            unsafe_fixes,
            apply,
            add_ignore,
            include_generated,
            codemod_settings,
            is_stub,
        } = base.clone();
        // The codemods' own settings, destructured the same way.
        let CodemodSettings { resource_factories, cache_maxsize, fix_noqa } = codemod_settings.clone();
        let with_codemod = |cs: CodemodSettings| FileSettings { codemod_settings: cs, ..base.clone() };
        let other = crate::codemods::ALL[2];
        let variants = [
            ("codemods", FileSettings { codemods: Codemods(vec![codemods[0], other]), ..base.clone() }),
            ("codemods (fewer)", FileSettings { codemods: Codemods(codemods[..1].to_vec()), ..base.clone() }),
            ("target", FileSettings { target: PythonVersion { minor: target.minor + 1, ..target }, ..base.clone() }),
            ("unsafe_fixes", FileSettings { unsafe_fixes: !unsafe_fixes, ..base.clone() }),
            ("apply", FileSettings { apply: !apply, ..base.clone() }),
            ("add_ignore", FileSettings { add_ignore: !add_ignore, ..base.clone() }),
            (
                "cache_maxsize",
                with_codemod(CodemodSettings { cache_maxsize: cache_maxsize + 1, ..codemod_settings.clone() }),
            ),
            ("include_generated", FileSettings { include_generated: !include_generated, ..base.clone() }),
            (
                "resource_factories",
                with_codemod(CodemodSettings {
                    resource_factories: vec![ResourceFactory {
                        closing: Closing::Closing,
                        ..resource_factories[0].clone()
                    }],
                    ..codemod_settings.clone()
                }),
            ),
            ("fix_noqa", with_codemod(CodemodSettings { fix_noqa: !fix_noqa, ..codemod_settings.clone() })),
            ("is_stub", FileSettings { is_stub: !is_stub, ..base.clone() }),
        ];
        for (field, changed) in &variants {
            assert_ne!(changed, &base, "{field}: the variant must differ");
            assert_ne!(key(b"x = 1\n", changed), key(b"x = 1\n", &base), "{field} is not in the cache key");
        }
    }
}
