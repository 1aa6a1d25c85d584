//! The evidence file (`pyfix-evidence/1`, documented in the README's "Runtime evidence") made of the parts each
//! traced process wrote: lists concatenated, entries with the same key summed, targets kept at their largest.
//! Pure: JSON values in, one JSON value out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::evidence::without_names;
pub use crate::evidence::SCHEMA;

/// At most this many lines in `memory.start` and `memory.end` (each part holds its own top 200).
const TOP_LINES: usize = 200;

/// What `pyfix trace` knows of the run itself.
pub struct Run {
    pub command: Vec<String>,
    pub exit_code: i32,
    pub duration_s: f64,
}

/// One evidence document from the parts (one per process, in any order; parts missing a field count as empty).
pub fn merge(run: &Run, mut parts: Vec<Value>) -> Value {
    parts.sort_by(|a, b| {
        let started = |v: &Value| v["started"].as_f64().unwrap_or(0.0);
        started(a).total_cmp(&started(b)).then_with(|| a["pid"].as_i64().cmp(&b["pid"].as_i64()))
    });
    let pids: BTreeSet<i64> = parts.iter().filter_map(|p| p["pid"].as_i64()).collect();
    let processes: Vec<Value> = parts
        .iter()
        .map(|p| {
            // A parent outside the trace (the shell that started a traced script) is no parent here.
            let parent = p["parent"].as_i64().filter(|pid| pids.contains(pid));
            json!({"pid": p["pid"], "parent": parent, "argv": p["argv"], "exit": p["exit"]})
        })
        .collect();
    let root = parts.iter().find(|p| p["parent"].as_i64().is_none_or(|pid| !pids.contains(&pid)));
    let python = root.or(parts.first()).map_or(Value::Null, |p| p["python"].clone());

    let modules: BTreeSet<&str> = parts.iter().flat_map(|p| entries(p, "modules")).filter_map(Value::as_str).collect();

    let warnings = summed(&parts, "resource_warnings", &["count"], |w| {
        json!([w["site"], w["type"], without_names(w["message"].as_str().unwrap_or_default())])
    });
    let cycles = summed(&parts, "cycle_garbage", &["count", "bytes"], |c| {
        json!([c["class"], c["module"], c["module_path"], c["site"]])
    });
    let mut samples: Vec<Value> = Vec::new();
    for p in &parts {
        for s in p["memory"]["samples"].as_array().into_iter().flatten() {
            let mut s = s.clone();
            s["pid"] = p["pid"].clone();
            samples.push(s);
        }
    }
    samples.sort_by(|a, b| a["t"].as_f64().unwrap_or(0.0).total_cmp(&b["t"].as_f64().unwrap_or(0.0)));

    json!({
        "schema": SCHEMA,
        "command": run.command,
        "exit_code": run.exit_code,
        "python": python,
        "duration_s": (run.duration_s * 1000.0).round() / 1000.0,
        "processes": processes,
        "modules": modules,
        "resource_warnings": by_largest(warnings, "count"),
        "cycle_garbage": by_largest(cycles, "bytes"),
        "memory": {
            "start": memory(&parts, "start"),
            "end": memory(&parts, "end"),
            "samples": samples,
        },
        "targets": targets(&parts),
    })
}

fn entries<'a>(part: &'a Value, field: &str) -> impl Iterator<Item = &'a Value> {
    part[field].as_array().into_iter().flatten()
}

/// The entries of `field` across the parts, one per key, with the `sums` fields added up (the first entry's other
/// fields kept).
fn summed(parts: &[Value], field: &str, sums: &[&str], key: impl Fn(&Value) -> Value) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    for e in parts.iter().flat_map(|p| entries(p, field)) {
        let k = key(e).to_string();
        match at.get(&k) {
            Some(&i) => {
                for f in sums {
                    let total = out[i][*f].as_u64().unwrap_or(0) + e[*f].as_u64().unwrap_or(0);
                    out[i][*f] = json!(total);
                }
            }
            None => {
                at.insert(k, out.len());
                out.push(e.clone());
            }
        }
    }
    out
}

/// Largest `field` first; ties in the order met.
fn by_largest(mut list: Vec<Value>, field: &str) -> Vec<Value> {
    list.sort_by_key(|e| std::cmp::Reverse(e[field].as_u64().unwrap_or(0)));
    list
}

/// `memory.start` or `memory.end` of every part, summed by (path, line), the top lines by bytes.
fn memory(parts: &[Value], which: &str) -> Vec<Value> {
    let mut rows: Vec<Value> = Vec::new();
    let mut at: BTreeMap<(String, i64), usize> = BTreeMap::new();
    for p in parts {
        for r in p["memory"][which].as_array().into_iter().flatten() {
            let k = (r["path"].as_str().unwrap_or_default().to_string(), r["line"].as_i64().unwrap_or(0));
            match at.get(&k) {
                Some(&i) => {
                    for f in ["bytes", "count"] {
                        rows[i][f] = json!(rows[i][f].as_u64().unwrap_or(0) + r[f].as_u64().unwrap_or(0));
                    }
                }
                None => {
                    at.insert(k, rows.len());
                    rows.push(json!({"path": r["path"], "line": r["line"], "bytes": r["bytes"], "count": r["count"]}));
                }
            }
        }
    }
    let mut rows = by_largest(rows, "bytes");
    rows.truncate(TOP_LINES);
    rows
}

/// One entry per (path, line, name): the process that ran it and measured the most (`len`, then `bytes`).
fn targets(parts: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    let rank = |t: &Value| {
        (t["ran"].as_bool().unwrap_or(false), t["len"].as_u64().unwrap_or(0), t["bytes"].as_u64().unwrap_or(0))
    };
    for t in parts.iter().flat_map(|p| entries(p, "targets")) {
        let k = json!([t["path"], t["line"], t["name"]]).to_string();
        match at.get(&k) {
            Some(&i) if rank(t) > rank(&out[i]) => out[i] = t.clone(),
            Some(_) => {}
            None => {
                at.insert(k, out.len());
                out.push(t.clone());
            }
        }
    }
    out
}

/// Parses a part file's text; `None` for a part the process could not finish writing (it never renames one).
pub fn parse_part(text: &str) -> Option<Value> {
    serde_json::from_str::<Value>(text).ok().filter(|v| v.is_object()).map(|v| {
        let mut v: Map<String, Value> = v.as_object().cloned().unwrap_or_default();
        v.entry("memory").or_insert_with(|| json!({}));
        Value::Object(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> Run {
        Run { command: vec!["python3".into(), "app.py".into()], exit_code: 3, duration_s: 1.23456 }
    }

    fn part(pid: i64, parent: Option<i64>, started: f64) -> Value {
        json!({"pid": pid, "parent": parent, "argv": ["app.py"], "python": "3.11.7", "started": started,
               "modules": [], "resource_warnings": [], "cycle_garbage": [], "targets": [],
               "memory": {"start": [], "end": [], "samples": []}})
    }

    #[test]
    fn no_parts_give_an_empty_document_with_the_run() {
        let doc = merge(&run(), vec![]);
        assert_eq!(doc["schema"], SCHEMA);
        assert_eq!(doc["exit_code"], 3);
        assert_eq!(doc["duration_s"], 1.235);
        assert_eq!(doc["command"], json!(["python3", "app.py"]));
        for field in ["processes", "modules", "resource_warnings", "cycle_garbage", "targets"] {
            assert_eq!(doc[field], json!([]), "{field}");
        }
    }

    #[test]
    fn processes_in_start_order_and_a_parent_outside_the_trace_is_none() {
        let doc = merge(&run(), vec![part(7, Some(5), 2.0), part(5, Some(1), 1.0), part(9, Some(42), 3.0)]);
        let procs: Vec<(i64, Option<i64>)> = doc["processes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["pid"].as_i64().unwrap(), p["parent"].as_i64()))
            .collect();
        assert_eq!(procs, vec![(5, None), (7, Some(5)), (9, None)]);
    }

    #[test]
    fn warnings_at_one_site_are_summed_across_processes_and_file_names() {
        let site = json!({"path": "/a.py", "line": 3});
        let w = |name: &str, n: u64| {
            json!({"message": format!("unclosed file <_io.TextIOWrapper name='{name}' mode='r'>"),
                   "type": "TextIOWrapper", "site": site, "traceback": [site], "count": n})
        };
        let mut a = part(1, None, 1.0);
        a["resource_warnings"] = json!([w("x.txt", 2)]);
        let mut b = part(2, Some(1), 2.0);
        b["resource_warnings"] = json!([w("y.txt", 3), {"message": "unclosed <socket>", "type": "socket",
                                        "site": null, "traceback": [], "count": 1}]);
        let doc = merge(&run(), vec![a, b]);
        let ws = doc["resource_warnings"].as_array().unwrap();
        assert_eq!(ws.len(), 2);
        assert_eq!(ws[0]["count"], 5);
        assert_eq!(ws[0]["message"], "unclosed file <_io.TextIOWrapper name='x.txt' mode='r'>");
        assert_eq!(ws[1]["site"], Value::Null);
    }

    #[test]
    fn cycle_garbage_is_summed_by_class_and_site_largest_first() {
        let c = |class: &str, line: u64, count: u64, bytes: u64| {
            json!({"class": class, "module": "m", "module_path": "/m.py",
                   "site": {"path": "/m.py", "line": line}, "count": count, "bytes": bytes})
        };
        let mut a = part(1, None, 1.0);
        a["cycle_garbage"] = json!([c("Node", 4, 10, 560), c("Leaf", 9, 1, 56)]);
        let mut b = part(2, Some(1), 2.0);
        b["cycle_garbage"] = json!([c("Node", 4, 5, 280), c("Node", 5, 100, 5600)]);
        let doc = merge(&run(), vec![a, b]);
        let got: Vec<(String, u64, u64, u64)> = doc["cycle_garbage"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let n = |f: &str| c[f].as_u64().unwrap();
                (c["class"].as_str().unwrap().to_string(), c["site"]["line"].as_u64().unwrap(), n("count"), n("bytes"))
            })
            .collect();
        assert_eq!(got, vec![("Node".into(), 5, 100, 5600), ("Node".into(), 4, 15, 840), ("Leaf".into(), 9, 1, 56)]);
    }

    #[test]
    fn memory_is_summed_by_line_and_samples_are_in_time_order() {
        let row = |line: u64, bytes: u64| json!({"path": "/a.py", "line": line, "bytes": bytes, "count": 1});
        let mut a = part(1, None, 1.0);
        a["memory"] = json!({"start": [row(1, 10)], "end": [row(1, 100), row(2, 5)],
                             "samples": [{"t": 2.0, "top": [row(1, 50)]}]});
        let mut b = part(2, Some(1), 2.0);
        b["memory"] = json!({"start": [], "end": [row(2, 500)], "samples": [{"t": 1.0, "top": []}]});
        let doc = merge(&run(), vec![a, b]);
        assert_eq!(doc["memory"]["end"], json!([{"path": "/a.py", "line": 2, "bytes": 505, "count": 2}, row(1, 100)]));
        assert_eq!(doc["memory"]["start"], json!([row(1, 10)]));
        let ts: Vec<(f64, i64)> = doc["memory"]["samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["t"].as_f64().unwrap(), s["pid"].as_i64().unwrap()))
            .collect();
        assert_eq!(ts, vec![(1.0, 2), (2.0, 1)]);
    }

    #[test]
    fn a_target_keeps_the_largest_measure_of_the_processes_that_ran_it() {
        let t = |ran: bool, len: Option<u64>| {
            json!({"path": "/a.py", "line": 3, "codemod": "unbounded-cache", "kind": "global", "name": "_c",
                   "ran": ran, "len": len, "bytes": len.map(|n| n * 10)})
        };
        let mut a = part(1, None, 1.0);
        a["targets"] = json!([t(true, Some(5))]);
        let mut b = part(2, Some(1), 2.0);
        b["targets"] = json!([t(true, Some(50))]);
        let mut c = part(3, Some(1), 3.0);
        c["targets"] = json!([t(false, None)]);
        let doc = merge(&run(), vec![a, b, c]);
        assert_eq!(doc["targets"], json!([t(true, Some(50))]));
        let mut only = part(4, None, 1.0);
        only["targets"] = json!([t(false, None)]);
        assert_eq!(merge(&run(), vec![only])["targets"], json!([t(false, None)]));
    }

    #[test]
    fn names_are_left_out_of_a_warnings_key() {
        assert_eq!(
            without_names("unclosed file <_io.TextIOWrapper name='/t/a b.txt' mode='r' encoding='UTF-8'>"),
            "unclosed file <_io.TextIOWrapper mode='r' encoding='UTF-8'>"
        );
        assert_eq!(
            without_names("unclosed file <_io.FileIO name=3 mode='rb'>"),
            "unclosed file <_io.FileIO mode='rb'>"
        );
        assert_eq!(without_names("no name here"), "no name here");
    }

    #[test]
    fn a_torn_part_is_refused() {
        assert!(parse_part("{\"pid\": 1, ").is_none());
        assert!(parse_part("[]").is_none());
        assert!(parse_part("{\"pid\": 1}").is_some());
    }
}
