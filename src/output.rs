//! How findings are printed for `--output-format`: text lines, JSON, GitHub Actions annotations, SARIF 2.1.0.
//! Pure: reports in, text out. `run` decides when and where the text goes.

use serde_json::{json, Value};

use crate::codemods;
use crate::edit::Applicability;
use crate::evidence::{self, Status, Verdict};
use crate::report::{Report, ReportEdit};

/// Runs over more files than this get a progress bar (on a terminal) and a breakdown before the summary line.
pub const LARGE_RUN: usize = 300;

/// A progress bar on stderr for a large run when stderr is a terminal; a hidden one otherwise.
pub fn progress_bar(files: usize, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || files <= LARGE_RUN || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(files as u64), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// Why a file was skipped, as a short kind for the summary: "syntax error", "cannot decode", ...
pub fn skip_kind(reason: &str) -> &'static str {
    let reason = reason.strip_prefix("not processed: ").unwrap_or(reason);
    const KINDS: &[(&str, &str)] = &[
        ("syntax error", "syntax error"),
        ("code nested", "nested too deep"),
        ("binary file", "binary"),
        ("cannot decode", "cannot decode"),
        ("cannot read", "cannot read"),
        ("not a notebook", "invalid notebook"),
        ("changed on disk", "changed while running"),
        ("deleted while", "changed while running"),
        ("is a directory now", "changed while running"),
        ("read-only file", "read-only"),
        ("cannot write", "cannot write"),
        ("cannot create a temporary", "cannot write"),
        ("cannot replace", "cannot write"),
        ("cannot keep permissions", "cannot write"),
    ];
    KINDS.iter().find(|(prefix, _)| reason.starts_with(prefix)).map_or("other error", |(_, kind)| kind)
}

/// A report and the path it belongs to, as shown to the user.
pub struct Located<'a> {
    pub path: &'a str,
    pub report: &'a Report,
    /// With --evidence: what it says about the finding.
    pub evidence: Option<&'a Verdict>,
}

/// `path:line:col: codemod: message [fix: safe|unsafe|none] (reason)`.
pub fn text(path: &str, r: &Report) -> String {
    match r.cell {
        Some(cell) => format!("{path}:cell {cell}:{}", r.render()),
        None => format!("{path}:{}", r.render()),
    }
}

/// `text`, then the verdict in brackets: `[confirmed: cache grew to 48,213 entries, 120 MB]`, `[not run]`.
pub fn text_judged(path: &str, r: &Report, v: Option<&Verdict>) -> String {
    let mut s = text(path, r);
    if let Some(v) = v {
        s.push_str(&format!(" {}", verdict(v)));
    }
    s
}

/// `[confirmed: ...]`, `[ran without leaking: ...]`, `[not run]`.
fn verdict(v: &Verdict) -> String {
    match v.status {
        Status::NotRun => format!("[{}]", v.status.as_str()),
        _ => format!("[{}: {}]", v.status.as_str(), v.summary),
    }
}

/// An evidence path as shown: relative to the current directory when it is under it.
fn shown_site(site: Option<&evidence::Site>, cwd: &std::path::Path) -> String {
    match site {
        Some(s) => {
            let path = s.path.strip_prefix(cwd).unwrap_or(&s.path);
            format!("{}:{}", path.display(), s.line)
        }
        None => "(no allocation site recorded)".to_string(),
    }
}

/// After the findings of a --check with --evidence: the growth no finding covers, biggest first. Nothing when
/// there is none.
pub fn uncovered(items: &[evidence::Uncovered], cwd: &std::path::Path) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut s = format!("\nGrowth that no codemod covers (top {} by bytes):\n", evidence::UNCOVERED);
    for u in items {
        s.push_str(&format!("  {}: {}\n", shown_site(u.site.as_ref(), cwd), u.summary));
    }
    s
}

/// A GitHub Actions workflow command: shown as an annotation on the line in the pull request.
///
/// GitHub places it on the lines of the file as committed. In a notebook that is the `.ipynb` JSON text: the
/// annotation covers the lines of the cell's `source` that hold the finding (no columns: they count in the JSON
/// string), its title names the cell and its message starts with the position in the cell (`cell 3:2:21: ...`).
pub fn github(path: &str, r: &Report, evidence: Option<&Verdict>) -> String {
    let fix = r.fix.map_or("none", Applicability::as_str);
    let mut message = format!("{} [fix: {fix}]", r.message);
    if let Some(reason) = &r.reason {
        message.push_str(&format!(" ({reason})"));
    }
    if let Some(v) = evidence {
        message.push_str(&format!(" {}", verdict(v)));
    }
    let (position, title) = match r.cell {
        Some(cell) => {
            message = format!("cell {cell}:{}:{}: {message}", r.line, r.col);
            let (line, end_line) = r.file_lines.unwrap_or((1, 1));
            (format!("line={line},endLine={end_line}"), format!("pyfix {} (cell {cell})", r.codemod))
        }
        None => (
            format!("line={},col={},endLine={},endColumn={}", r.line, r.col, r.end_line, r.end_col),
            format!("pyfix {}", r.codemod),
        ),
    };
    format!(
        "::warning file={},{position},title={}::{}",
        escape_property(path),
        escape_property(&title),
        escape_data(&message)
    )
}

/// A file pyfix could not process (does not parse, cannot be decoded or read), as a GitHub error annotation on the
/// file: otherwise a CI job would show the findings of the other files and nothing about this one.
pub fn github_error(path: &str, reason: &str) -> String {
    format!("::error file={},title=pyfix::{}", escape_property(path), escape_data(&format!("not checked: {reason}")))
}

/// Workflow command data: `%`, CR and LF are escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow command properties: also `:` and `,`, which separate them.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn position((line, column): (usize, usize)) -> Value {
    json!({ "line": line, "column": column })
}

fn json_edit(e: &ReportEdit) -> Value {
    json!({ "start": position(e.start), "end": position(e.end), "content": e.content })
}

/// One JSON array, an object per finding, in path order then position order.
pub fn json(items: &[Located]) -> String {
    let findings: Vec<Value> = items
        .iter()
        .map(|Located { path, report: r, evidence }| {
            let fix = r.fix.map(|applicability| {
                json!({
                    "applicability": applicability.as_str(),
                    "title": r.fix_title,
                    "edits": r.edits.iter().map(json_edit).collect::<Vec<_>>(),
                })
            });
            let mut finding = json!({
                "path": path,
                "cell": r.cell,
                "codemod": r.codemod,
                "message": r.message,
                "start": position((r.line, r.col)),
                "end": position((r.end_line, r.end_col)),
                "fix": fix,
                "applicability": r.fix.map_or("none", Applicability::as_str),
                "reason": r.reason,
            });
            if let Some(v) = evidence {
                finding["evidence"] = json_verdict(v);
            }
            finding
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&findings).expect("JSON values always serialise");
    s.push('\n');
    s
}

/// `{"status", "count", "bytes", "summary"}`.
fn json_verdict(v: &Verdict) -> Value {
    json!({ "status": v.status.key(), "count": v.count, "bytes": v.bytes, "summary": v.summary })
}

/// A SARIF region: lines and columns 1-based, end column exclusive, columns in code points (`columnKind`).
fn region((start_line, start_column): (usize, usize), (end_line, end_column): (usize, usize)) -> Value {
    json!({ "startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column })
}

/// A path as a SARIF artifact URI: relative paths stay relative (to the directory pyfix ran in, `%SRCROOT%`).
fn artifact_uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where a codemod's documentation (its README, what `--explain` prints) is in the repository.
pub fn docs_path(codemod: &str) -> String {
    format!("codemods/{}/README.md", codemod.replace('-', "_"))
}

/// A SARIF rule: the codemod's one-line summary and where to read more. Not its README: a log that carried every
/// README (three times, as full description, help text and help markdown) was 160 KB for two findings.
/// `helpUri` must be absolute, so it is given only when Cargo.toml names the repository.
fn sarif_rule(c: &dyn codemods::Codemod) -> Value {
    let (name, summary) = (c.name(), c.summary());
    let mut rule = json!({
        "id": name,
        "shortDescription": { "text": summary },
        "help": {
            "text": format!("{summary}. `pyfix --explain {name}` shows what it finds, why it leaks and when its fix is safe."),
            "markdown": format!("{summary}.\n\n`pyfix --explain {name}` shows what it finds, why it leaks and when its fix is safe."),
        },
        "defaultConfiguration": { "level": "warning" },
    });
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    if !repository.is_empty() {
        rule["helpUri"] = json!(format!("{repository}/blob/HEAD/{}", docs_path(name)));
    }
    rule
}

/// pyfix's key in SARIF `partialFingerprints`. Not `primaryLocationLineHash`: GitHub's upload computes that one
/// itself and warns when a log brings another value.
pub const FINGERPRINT: &str = "pyfixFindingHash/v1";

/// What identifies a finding across commits, for code scanning to keep one alert per finding: a hash of its
/// codemod, its file, the text of its first line (whitespace-normalised) and how many findings of the codemod on
/// an identical line come before it in the file. Not its line number: lines inserted above it would make it a new
/// alert.
fn fingerprint(path: &str, r: &Report, occurrence: u64) -> String {
    let mut h = crate::hash::Fnv::default();
    for part in
        [r.codemod.as_bytes(), &[0], path.as_bytes(), &[0], &r.line_hash.to_le_bytes(), &occurrence.to_le_bytes()]
    {
        h.write(part);
    }
    format!("{:016x}", h.0)
}

/// A SARIF 2.1.0 log with one run: every codemod as a rule, every finding as a result, its fix as a SARIF fix; the
/// files pyfix could not process (`failed`: path as shown, reason) as error notifications of the run's invocation.
///
/// With evidence, each result carries its verdict in `properties.evidence`; a confirmed finding is an `error` with
/// a high `rank`, one that ran without leaking a `note` with a low one; the growth no finding covers is in the
/// run's `properties.uncoveredGrowth`.
pub fn sarif(
    items: &[Located],
    failed: &[(String, String)],
    uncovered: Option<&[evidence::Uncovered]>,
    cwd: &std::path::Path,
) -> String {
    let rules: Vec<Value> = codemods::ALL.iter().map(|c| sarif_rule(*c)).collect();
    let mut occurrences: std::collections::HashMap<(&str, &str, u64), u64> = std::collections::HashMap::new();
    let results: Vec<Value> = items
        .iter()
        .map(|Located { path, report: r, evidence }| {
            let occurrence = occurrences.entry((path, r.codemod, r.line_hash)).or_default();
            let fingerprint = fingerprint(path, r, *occurrence);
            *occurrence += 1;
            let uri = artifact_uri(path);
            // In a notebook: the lines of the `.ipynb` text that hold the finding; the cell and the position in it
            // are properties.
            let in_file = match (r.cell, r.file_lines) {
                (Some(_), Some((line, end_line))) => json!({ "startLine": line, "endLine": end_line }),
                _ => region((r.line, r.col), (r.end_line, r.end_col)),
            };
            let location = json!({
                "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                "region": in_file,
            });
            let mut result = json!({
                "ruleId": r.codemod,
                "level": "warning",
                "message": { "text": r.message },
                "locations": [{ "physicalLocation": location }],
                "partialFingerprints": { FINGERPRINT: fingerprint },
                "properties": {
                    "fixApplicability": r.fix.map_or("none", Applicability::as_str),
                    "reason": r.reason,
                    "cell": r.cell,
                    "cellRegion": r.cell.map(|_| region((r.line, r.col), (r.end_line, r.end_col))),
                },
            });
            if let Some(v) = evidence {
                result["properties"]["evidence"] = json_verdict(v);
                let (level, rank) = match v.status {
                    Status::Confirmed => ("error", 90.0),
                    Status::NotRun | Status::Unobservable => ("warning", 50.0),
                    Status::Clean => ("note", 10.0),
                };
                result["level"] = json!(level);
                result["rank"] = json!(rank);
            }
            if let Some(i) = codemods::ALL.iter().position(|c| c.name() == r.codemod) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(title) = &r.fix_title {
                let replacements: Vec<Value> = r
                    .edits
                    .iter()
                    .map(|e| json!({ "deletedRegion": region(e.start, e.end), "insertedContent": { "text": e.content } }))
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": title },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                        "replacements": replacements,
                    }],
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pyfix",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": failed.is_empty(),
                "toolExecutionNotifications": failed.iter().map(|(path, reason)| json!({
                    "level": "error",
                    "message": { "text": format!("not checked: {reason}") },
                    "locations": [{ "physicalLocation": {
                        "artifactLocation": { "uri": artifact_uri(path), "uriBaseId": "%SRCROOT%" },
                    } }],
                })).collect::<Vec<Value>>(),
            }],
            "results": results,
        }],
    });
    let mut log = log;
    if let Some(uncovered) = uncovered {
        let growth: Vec<Value> = uncovered
            .iter()
            .map(|u| {
                json!({ "site": shown_site(u.site.as_ref(), cwd), "bytes": u.bytes, "count": u.count, "summary": u.summary })
            })
            .collect();
        log["runs"][0]["properties"] = json!({ "uncoveredGrowth": growth });
    }
    let mut s = serde_json::to_string_pretty(&log).expect("JSON values always serialise");
    s.push('\n');
    s
}

/// A path as pyfix shows it: without a leading `./`.
pub(crate) fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// `1 file`, `2 files`, `2 processes`.
pub(crate) fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else if one.ends_with('s') {
        format!("{n} {one}es")
    } else {
        format!("{n} {one}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_what_would_end_a_property_or_the_message() {
        let r = Report {
            line: 1,
            col: 2,
            end_line: 1,
            end_col: 5,
            codemod: "bare-open",
            message: "100% of\nit".into(),
            fix: None,
            fix_title: None,
            reason: None,
            edits: Vec::new(),
            cell: None,
            file_lines: None,
            line_hash: 0,
        };
        assert_eq!(
            github("a,b:c.py", &r, None),
            "::warning file=a%2Cb%3Ac.py,line=1,col=2,endLine=1,endColumn=5,title=pyfix bare-open::100%25 of%0Ait [fix: none]"
        );
    }

    #[test]
    fn every_codemod_has_its_docs_where_sarif_points() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for c in codemods::ALL {
            let docs = std::fs::read_to_string(repo.join(docs_path(c.name()))).unwrap();
            assert_eq!(docs, c.docs(), "{}", c.name());
        }
    }

    #[test]
    fn artifact_uris_are_percent_encoded() {
        assert_eq!(artifact_uri("src/my file.py"), "src/my%20file.py");
        assert_eq!(artifact_uri("/abs/a.py"), "file:///abs/a.py");
    }
}
