//! Reads the files named by `--evidence` (the one place besides the driver that reads files, and the only one that
//! starts `python3`): `pyfix-evidence/1` JSON as is, a tracemalloc `Snapshot.dump()` pickle through an embedded
//! converter run by `python3`, memray's `stats --json` output and its leaks CSV (`memray transform csv --leaks`)
//! converted here. Every failure is one line with the path and a hint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use serde_json::Value;

use super::data::{self, Evidence, Held, Site};

/// The script that turns a `Snapshot.dump()` file into `pyfix-evidence/1` JSON (memory at exit only).
const SNAPSHOT_TO_JSON: &str = include_str!("tracemalloc_to_json.py");

const HINT: &str = "hint: `pyfix trace --out FILE -- COMMAND` records one; tracemalloc `Snapshot.dump()` files, \
                    memray `stats --json` output and memray's leaks CSV are read too";

/// The header of `memray transform csv` (memray's `TransformReporter.render_as_csv`).
const MEMRAY_CSV: &str = "allocator,num_allocations,size,tid,thread_name,stack_trace";

/// Every file, merged. The first bad one stops the run.
pub fn load(paths: &[PathBuf]) -> Result<Evidence> {
    let mut all = Evidence::default();
    for path in paths {
        all.merge(one(path)?);
    }
    Ok(all)
}

/// An IO error as a few words (`no such file`), without the `(os error 2)` tail.
fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}

fn one(path: &Path) -> Result<Evidence> {
    let shown = path.display();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => bail!("--evidence {shown}: cannot read: {} ({HINT})", describe(&e)),
    };
    // A pickle starts with the PROTO opcode (protocol 2 and later); `Snapshot.dump()` uses the highest protocol.
    if bytes.first() == Some(&0x80) {
        return snapshot(path);
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => bail!("--evidence {shown}: neither JSON nor a tracemalloc snapshot ({HINT})"),
    };
    if text.trim_start_matches('\u{feff}').starts_with(MEMRAY_CSV) {
        return Ok(memray_csv(text));
    }
    if let Ok(doc) = serde_json::from_str::<Value>(text) {
        if doc.get("top_allocations_by_size").is_some() && doc.get("schema").is_none() {
            return Ok(memray_stats(&doc));
        }
    }
    data::parse(text).map_err(|why| anyhow::anyhow!("--evidence {shown}: {why} ({HINT})"))
}

/// A tracemalloc snapshot, converted by `python3` (pickles are Python's own format; only Python reads them).
fn snapshot(path: &Path) -> Result<Evidence> {
    let shown = path.display();
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(SNAPSHOT_TO_JSON)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => bail!(
            "--evidence {shown}: a tracemalloc snapshot needs `python3` to read it, which did not start ({e}) \
             (hint: put python3 on PATH, or record with `pyfix trace`)"
        ),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim();
        bail!("--evidence {shown}: not a tracemalloc snapshot python3 can load ({last}) ({HINT})");
    }
    let text = String::from_utf8_lossy(&output.stdout);
    data::parse(&text)
        .map_err(|why| anyhow::anyhow!("--evidence {shown}: converted snapshot: {why} (please report this)"))
}

/// memray's `stats --json`: `top_allocations_by_size` as memory held at the end, by line. Its `location` is
/// `function:file:line` (memray's `_format_location`); `<stack trace unavailable>` entries are left out. memray's
/// statistics are taken at the peak of memory unless it was asked for all allocations: memory-only evidence either
/// way.
fn memray_stats(doc: &Value) -> Evidence {
    let mut end: BTreeMap<Site, Held> = BTreeMap::new();
    let entries = doc.get("top_allocations_by_size").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for e in entries {
        let Some(location) = e.get("location").and_then(Value::as_str) else { continue };
        let Some((rest, line)) = location.rsplit_once(':') else { continue };
        let Some((_function, file)) = rest.split_once(':') else { continue };
        let Ok(line) = line.parse::<usize>() else { continue };
        let path = std::fs::canonicalize(file).unwrap_or_else(|_| PathBuf::from(file));
        let site = Site { path, line };
        let bytes = e.get("size").and_then(Value::as_u64).unwrap_or(0);
        let held = end.entry(site).or_insert_with_key(|s| Held { site: s.clone(), bytes: 0, count: 0 });
        held.bytes += bytes;
    }
    Evidence { end, ..Evidence::default() }
}

/// memray's CSV (`memray transform csv`; with `--leaks`, the allocations never freed): each row's size, at the
/// innermost Python frame of its stack (`func;file;line|...`, innermost first; native frames skipped), as memory
/// held at the end.
fn memray_csv(text: &str) -> Evidence {
    let mut end: BTreeMap<Site, Held> = BTreeMap::new();
    for row in text.lines().skip(1) {
        let fields = csv_fields(row);
        let [_, n, size, _, _, stack] = fields.as_slice() else { continue };
        let frame = stack.split('|').find_map(|frame| {
            let mut parts = frame.rsplitn(2, ';');
            let line = parts.next()?.parse::<usize>().ok()?;
            let (_func, file) = parts.next()?.split_once(';')?;
            file.ends_with(".py").then(|| (file.to_string(), line))
        });
        let Some((file, line)) = frame else { continue };
        let path = std::fs::canonicalize(&file).unwrap_or_else(|_| PathBuf::from(&file));
        let held = end.entry(Site { path, line }).or_insert_with_key(|s| Held { site: s.clone(), bytes: 0, count: 0 });
        held.bytes += size.parse::<u64>().unwrap_or(0);
        held.count += n.parse::<u64>().unwrap_or(0);
    }
    Evidence { end, ..Evidence::default() }
}

/// The fields of one CSV row as Python's `csv` writes them: a field with a comma or a quote is quoted, a quote
/// inside doubled.
fn csv_fields(row: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memray_csv_rows_count_at_their_innermost_python_frame() {
        let csv = "allocator,num_allocations,size,tid,thread_name,stack_trace\r\n\
                   MALLOC,3,3000,1,\"main, 1\",PyMem_Malloc;Objects/obmalloc.c;10|grow;/x/a.py;7|main;/x/m.py;2\r\n\
                   MALLOC,1,500,1,main,grow;/x/a.py;7\r\n\
                   MALLOC,1,99,1,main,\r\n";
        let ev = memray_csv(csv);
        let held = &ev.end[&Site { path: "/x/a.py".into(), line: 7 }];
        assert_eq!((held.bytes, held.count), (3500, 4));
        assert_eq!(ev.end.len(), 1);
        assert!(ev.modules.is_none());
    }
}
