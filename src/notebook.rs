//! Jupyter notebooks (`.ipynb`): the code cells, joined into one module so that analysis sees the names the cells
//! share, go through `fix_source`; the fixed text is cut back into cells and only the changed cells' `source` values
//! are rewritten in the notebook's JSON text, so its formatting, key order and trailing newline stay as they were.
//! Magics (`%`, `!`, `?` lines) and cells that are not Python (markdown, raw, `%%` cell magics) are never changed.
//! Pure: text in, text out.

use serde_json::Value;

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::edit::Fix;
use crate::engine::{fix_source_guarded, FixOptions, Outcome};
use crate::report::Report;

/// A line between two cells in the joined text. A fix that moves it (a `with` block reaching into the next cell)
/// would spread one statement over two cells: such a fix is refused (its finding is reported without a fix), and
/// the notebook's other fixes are applied.
const BOUNDARY: &str = "# pyfix: cell boundary";
/// What a magic line becomes in the joined text (`{indent}pass  # pyfix: magic N`), so blocks around it still parse.
const MAGIC: &str = "pass  # pyfix: magic ";

pub fn is_notebook(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "ipynb")
}

/// A code cell as it lies in the notebook's JSON text.
struct Cell {
    /// 1-based position among all cells, as Jupyter shows them (`cell 3`).
    number: usize,
    source: String,
    /// Byte span of the `source` value in the JSON text.
    span: (usize, usize),
    /// `source` is a list of lines (the usual form) rather than one string.
    as_lines: bool,
}

/// The result for one notebook: reports located by cell, and the new JSON text when a cell changed.
pub struct Checked {
    pub findings: Vec<Report>,
    pub remaining: Vec<Report>,
    pub applied: usize,
    /// The fixes applied (`applied` of them).
    pub applied_fixes: Vec<crate::report::AppliedFix>,
    pub baselined: usize,
    pub bugs: Vec<String>,
    pub notes: Vec<String>,
    pub fixed: Option<String>,
}

/// `add_ignore`: as `--add-ignore` does for a file, mark the findings left with `# pyfix: ignore[...]`.
pub fn check(json: &str, opts: &FixOptions, add_ignore: bool) -> Result<Checked, String> {
    let cells = code_cells(json)?;
    let mut magics = Vec::new();
    let joined = join(&cells, &mut magics);
    // The reasons given for the fixes refused because they would leave their cell, to say so in a fix run.
    let refused = RefCell::new(BTreeSet::new());
    let guard = |text: &str, fix: &Fix| {
        let reason = leaves_its_cell(text, fix, &cells, &magics)?;
        refused.borrow_mut().insert(reason.clone());
        Some(reason)
    };
    let fix_source = |text: &str| fix_source_guarded(text, opts, Some(&guard));
    let (mut findings, mut fixed, applied, applied_fixes, mut remaining, bugs) = match fix_source(&joined) {
        Outcome::Checked { findings, fixed, applied, applied_fixes, remaining, bugs } => {
            (findings, fixed, applied, applied_fixes, remaining, bugs)
        }
        Outcome::Skipped { reason } => return Err(format!("not processed: {}", in_cells(&reason, &joined, &cells))),
    };
    let mut notes = Vec::new();
    let mut baselined = 0;
    if add_ignore && !remaining.is_empty() {
        let current = fixed.clone().unwrap_or_else(|| joined.clone());
        let marked = crate::baseline::add_ignores(&current, &remaining);
        for (line, why) in &marked.refused {
            let at = place(&current, &cells, *line).map_or(line.to_string(), |(n, l)| format!("cell {n}:{l}"));
            notes.push(format!("{at}: cannot add `# pyfix: ignore` here: {why}; the finding stays"));
        }
        if marked.lines > 0 {
            if let Outcome::Checked { remaining: left, .. } = fix_source(&marked.text) {
                remaining = left;
                baselined = marked.lines;
                fixed = Some(marked.text);
            }
        }
    }
    locate(&mut findings, &Text { joined: &joined, json, cells: &cells, magics: &magics });
    let sources = fixed.as_deref().map(|new| (new, split(new, cells.len(), &magics)));
    let new_json = match sources {
        None => None,
        Some((new, Some(sources))) => {
            let new_json = rewrite(json, &cells, &sources);
            // What is left is located in the notebook as written.
            let new_cells = code_cells(&new_json)?;
            locate(&mut remaining, &Text { joined: new, json: &new_json, cells: &new_cells, magics: &magics });
            Some(new_json)
        }
        Some((_, None)) => {
            notes.push(" a fix would reach across cells or through a magic; no fix is applied to this notebook".into());
            None
        }
    };
    let (applied, applied_fixes, baselined, remaining) = match new_json {
        Some(_) => (applied, applied_fixes, baselined, remaining),
        None => (0, Vec::new(), 0, findings.clone()),
    };
    if opts.apply {
        let refused = refused.borrow();
        for r in remaining.iter().filter(|r| r.fix.is_none() && r.reason.as_ref().is_some_and(|w| refused.contains(w)))
        {
            let (cell, why) = (r.cell.unwrap_or(0), r.reason.as_deref().unwrap_or_default());
            notes.push(format!("cell {cell}:{}: {}: not fixed: {why}", r.line, r.codemod));
        }
    }
    Ok(Checked { findings, remaining, applied, applied_fixes, baselined, bugs, notes, fixed: new_json })
}

/// The result for a notebook as an editor holds it (the protocol's notebook document sync: one text per cell).
pub struct CellsChecked {
    /// Findings located in their cell (`cell`, and lines and columns counted in that cell). Their `edits` are empty:
    /// a fix is `CellFinding::sources`.
    pub findings: Vec<CellFinding>,
    /// What a fix run writes: the new text of each cell it changes, by cell number. Empty when it changes none, or
    /// when a fix would leave its cell.
    pub fixed: Vec<(usize, String)>,
    pub bugs: Vec<String>,
}

pub struct CellFinding {
    pub report: Report,
    /// The fix as the new text of each cell it changes (one, or the first cell too for an import it adds), by cell
    /// number; empty without a fix. A fix that would leave its cell is refused as in `check`.
    pub sources: Vec<(usize, String)>,
}

/// `check` for an editor's cells: `cells` are (number, text) of the code cells in order; `%%` cell magics are left
/// out as `check` leaves them out. Analysed as one module, as `check` does for the file.
pub fn check_cells(cells: &[(usize, &str)], opts: &FixOptions) -> Result<CellsChecked, String> {
    let cells: Vec<Cell> = cells
        .iter()
        .filter(|(_, text)| !is_cell_magic(text))
        .map(|&(number, text)| Cell { number, source: text.to_string(), span: (0, 0), as_lines: false })
        .collect();
    let mut magics = Vec::new();
    let joined = join(&cells, &mut magics);
    let guard = |text: &str, fix: &Fix| leaves_its_cell(text, fix, &cells, &magics);
    let (findings, fixed, bugs) = match fix_source_guarded(&joined, opts, Some(&guard)) {
        Outcome::Checked { findings, fixed, bugs, .. } => (findings, fixed, bugs),
        Outcome::Skipped { reason } => return Err(format!("not processed: {}", in_cells(&reason, &joined, &cells))),
    };
    let changed = |sources: Vec<String>| -> Vec<(usize, String)> {
        cells
            .iter()
            .zip(&sources)
            .filter(|(cell, new)| ended_like(cell, new) != cell.source)
            .map(|(cell, new)| (cell.number, ended_like(cell, new).to_string()))
            .collect()
    };
    let starts = cell_start_lines(&joined);
    let mut out = Vec::new();
    for mut report in findings {
        let Some((number, line)) = place_in(&starts, &cells, report.line) else { continue };
        let sources = match report.edits.is_empty() {
            true => Vec::new(),
            false => sources_after(&report.edits, &joined, &cells, &magics).map(changed).unwrap_or_default(),
        };
        if sources.is_empty() {
            report.fix = None;
            report.fix_title = None;
        }
        report.end_line =
            place_in(&starts, &cells, report.end_line).filter(|(n, _)| *n == number).map_or(line, |(_, l)| l);
        report.line = line;
        report.cell = Some(number);
        report.edits = Vec::new();
        out.push(CellFinding { report, sources });
    }
    let fixed = fixed.and_then(|new| split(&new, cells.len(), &magics)).map(changed).unwrap_or_default();
    Ok(CellsChecked { findings: out, fixed, bugs })
}

/// `text` (one cell's) with `# pyfix: ignore[...]` for `report` (located in the cell), as `--add-ignore` marks it;
/// `None` where its line cannot take the comment. Magics are masked for the parser and kept.
pub fn add_ignore_in_cell(text: &str, report: &Report) -> Option<String> {
    let cells = [Cell { number: 1, source: text.to_string(), span: (0, 0), as_lines: false }];
    let mut magics = Vec::new();
    let joined = join(&cells, &mut magics);
    let marked = crate::baseline::add_ignores(&joined, std::slice::from_ref(report));
    if marked.lines == 0 {
        return None;
    }
    let [new] = <[String; 1]>::try_from(split(&marked.text, 1, &magics)?).ok()?;
    Some(ended_like(&cells[0], &new).to_string())
}

/// A `%%` cell magic makes the whole cell another language.
fn is_cell_magic(source: &str) -> bool {
    source.trim_start().starts_with("%%")
}

/// The code cells of a notebook whose language is Python (or unstated).
fn code_cells(json: &str) -> Result<Vec<Cell>, String> {
    let doc: Value = serde_json::from_str(json)
        .map_err(|e| format!("not a notebook: invalid JSON at {}:{}: {e}", e.line(), e.column()))?;
    let language = doc
        .pointer("/metadata/kernelspec/language")
        .or_else(|| doc.pointer("/metadata/language_info/name"))
        .and_then(Value::as_str);
    let Some(cells) = doc.get("cells").and_then(Value::as_array) else {
        return Err("not a notebook: no `cells` list (hint: pyfix reads nbformat 4 notebooks)".into());
    };
    if language.is_some_and(|l| !l.eq_ignore_ascii_case("python")) {
        return Ok(Vec::new());
    }
    let spans = source_spans(json).ok_or("not a notebook: cannot locate the cells' sources")?;
    let mut out = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
            continue;
        }
        let (source, as_lines) = match cell.get("source") {
            Some(Value::String(s)) => (s.clone(), false),
            Some(Value::Array(lines)) => (lines.iter().filter_map(Value::as_str).collect::<String>(), true),
            _ => continue,
        };
        if is_cell_magic(&source) {
            continue;
        }
        let Some(span) = spans.get(i).copied().flatten() else { continue };
        out.push(Cell { number: i + 1, source, span, as_lines });
    }
    Ok(out)
}

fn is_magic(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with('%') || t.starts_with('!') {
        return true;
    }
    // `len?`, `np.array??`: help
    let name = t.trim_end_matches('?');
    if name.len() < t.len() && !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        return true;
    }
    // `files = !ls`, `t = %timeit f()`
    if let Some((lhs, rhs)) = t.split_once('=') {
        let rhs = rhs.trim_start();
        return lhs.trim().chars().all(|c| c.is_alphanumeric() || c == '_' || c == ' ' || c == ',')
            && (rhs.starts_with('!') || rhs.starts_with('%'));
    }
    false
}

/// The cells as one module: magics masked, a boundary line between cells.
fn join(cells: &[Cell], magics: &mut Vec<String>) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push_str(BOUNDARY);
            out.push('\n');
        }
        for line in cell.source.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            if is_magic(body) {
                let indent = &body[..body.len() - body.trim_start().len()];
                out.push_str(&format!("{indent}{MAGIC}{}", magics.len()));
                out.push_str(&line[body.len()..]);
                magics.push(body.trim_start().to_string());
            } else {
                out.push_str(line);
            }
        }
        if !cell.source.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The fixed joined text cut back into cell sources, magics restored. `None` when a boundary or magic moved or
/// vanished: the fix did not stay inside its cell.
fn split(text: &str, cells: usize, magics: &[String]) -> Option<Vec<String>> {
    let mut sources = vec![String::new()];
    let mut seen = vec![false; magics.len()];
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body == BOUNDARY {
            sources.push(String::new());
            continue;
        }
        if body.trim_start() == BOUNDARY {
            return None;
        }
        let current = sources.last_mut()?;
        let trimmed = body.trim_start();
        if let Some(k) = trimmed.strip_prefix(MAGIC).and_then(|k| k.parse::<usize>().ok()) {
            if k >= magics.len() || seen[k] {
                return None;
            }
            seen[k] = true;
            current.push_str(&body[..body.len() - trimmed.len()]);
            current.push_str(&magics[k]);
            current.push_str(&line[body.len()..]);
        } else {
            current.push_str(line);
        }
    }
    (sources.len() == cells && seen.iter().all(|s| *s)).then_some(sources)
}

/// Why `fix`, applied to `text` (the joined cells, as fixed so far), would not stay inside its cell: it moves a cell
/// boundary (`f = open(...)` in one cell, `f.close()` in the next: the `with` block would span both) or removes a
/// magic. `None` when it stays; a fix that only adds an import to the first cell stays.
fn leaves_its_cell(text: &str, fix: &Fix, cells: &[Cell], magics: &[String]) -> Option<String> {
    let (first, last) = (fix.edits().first()?, fix.edits().last()?);
    let start = usize::from(first.range.start());
    let end = usize::from(last.range.end());
    // Only lines the fix's edits reach can hold the boundary or magic it would disturb.
    let from = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let to = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i);
    if !text[from..to].contains("# pyfix: ") {
        return None;
    }
    let after = crate::edit::apply(text, &[fix]).text;
    if split(&after, cells.len(), magics).is_some() {
        return None;
    }
    let starts = cell_start_lines(text);
    let cell_at = |offset: usize| {
        let line = text[..offset].matches('\n').count() + 1;
        place_in(&starts, cells, line).map_or(0, |(n, _)| n)
    };
    // (boundary lines, all of them unindented)
    let boundaries = |t: &str| {
        let lines = t.split_inclusive('\n').map(|l| l.trim_end_matches(['\n', '\r']));
        let found: Vec<&str> = lines.filter(|l| l.trim_start() == BOUNDARY).collect();
        (found.len(), found.iter().all(|l| *l == BOUNDARY))
    };
    // An edit ending at the start of a line does not reach into that line.
    let (a, b) = (cell_at(start), cell_at(end.saturating_sub(1).max(start)));
    if boundaries(&after) != (boundaries(text).0, true) {
        return Some(format!(
            "its fix would reach from cell {a} into cell {}, and a block cannot span cells",
            b.max(a + 1)
        ));
    }
    let count = |t: &str, marker: &str| t.split_inclusive('\n').filter(|l| l.trim() == marker).count();
    for (k, magic) in magics.iter().enumerate() {
        let marker = format!("{MAGIC}{k}");
        if count(&after, &marker) != count(text, &marker) {
            let cell = text.find(&marker).map_or(a, cell_at);
            return Some(format!("its fix would remove or repeat the magic `{magic}` in cell {cell}"));
        }
    }
    Some(format!("its fix would not stay inside cell {a}"))
}

/// One version of a notebook: its joined code cells and its JSON text.
struct Text<'a> {
    joined: &'a str,
    json: &'a str,
    cells: &'a [Cell],
    magics: &'a [String],
}

/// Reports in the joined text -> lines in their cell, with the cell's number and the lines of the JSON text that
/// hold them; a fix's edits become edits of the JSON text: the new `source` of each cell it changes, so that they
/// apply to the notebook file itself. A fix that cannot be cut back into cells keeps no edits.
fn locate(reports: &mut [Report], text: &Text) {
    let Text { joined, json, cells, .. } = *text;
    let starts = cell_start_lines(joined);
    let place = |line: usize| place_in(&starts, cells, line);
    let file_lines: Vec<Vec<usize>> = cells.iter().map(|c| file_lines(json, c)).collect();
    let file_line = |line: usize| {
        let i = starts.iter().rposition(|s| *s <= line)?;
        let lines = file_lines.get(i)?;
        lines.get(line - starts[i]).or(lines.last()).copied()
    };
    for r in reports {
        let Some((number, line)) = place(r.line) else { continue };
        let end = place(r.end_line).filter(|(n, _)| *n == number).map_or(line, |(_, l)| l);
        let start_in_file = file_line(r.line);
        r.file_lines = start_in_file.map(|s| (s, file_line(r.end_line).filter(|e| *e >= s).unwrap_or(s)));
        r.cell = Some(number);
        r.end_line = end;
        r.line = line;
        if !r.edits.is_empty() {
            r.edits = json_edits(&r.edits, text).unwrap_or_default();
        }
    }
}

/// For each line of `cell`'s source (0-based), the 1-based line of the JSON text that holds it: one list element
/// per line as Jupyter writes them (an element may hold several lines or part of one), or the line of a one-string
/// source.
fn file_lines(json: &str, cell: &Cell) -> Vec<usize> {
    let (start, end) = cell.span;
    let line_at = |offset: usize| json[..offset].matches('\n').count() + 1;
    let first = line_at(start);
    if !cell.as_lines {
        return vec![first; cell.source.lines().count().max(1)];
    }
    let mut out = Vec::new();
    let mut line = first;
    let mut last = start;
    let mut open = false;
    for (s, e) in string_spans(&json[start..end]) {
        line += json[last..start + s].matches('\n').count();
        last = start + s;
        let piece: String = serde_json::from_str(&json[start + s..start + e]).unwrap_or_default();
        if !open {
            out.push(line);
        }
        // Each newline in the piece starts another source line, held by this element unless it ends the piece.
        let breaks = piece.matches('\n').count();
        let ends_open = !piece.ends_with('\n');
        out.extend(std::iter::repeat_n(line, breaks.saturating_sub(usize::from(!ends_open))));
        open = ends_open;
    }
    if out.is_empty() {
        out.push(first);
    }
    out
}

/// A fix's edits of the joined text as edits of the JSON text: each cell it changes gets its whole new `source`
/// value. `None` when they do not apply or the result cannot be cut back into cells.
fn json_edits(edits: &[crate::report::ReportEdit], text: &Text) -> Option<Vec<crate::report::ReportEdit>> {
    let Text { joined, json, cells, magics } = *text;
    let sources = sources_after(edits, joined, cells, magics)?;
    let line_col = |offset: usize| {
        let before = &json[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
    };
    let mut out = Vec::new();
    for (cell, new) in cells.iter().zip(&sources) {
        let new = ended_like(cell, new);
        if new != cell.source {
            let (start, end) = cell.span;
            let content = render_source(&json[start..end], new, cell.as_lines);
            out.push(crate::report::ReportEdit { start: line_col(start), end: line_col(end), content });
        }
    }
    Some(out)
}

/// A cell's new source as the joined text gives it, ending as the cell's did: the joined text ends every cell with a
/// newline; Jupyter usually stores the last line without one.
fn ended_like<'a>(cell: &Cell, new: &'a str) -> &'a str {
    if cell.source.ends_with('\n') {
        new
    } else {
        new.strip_suffix('\n').unwrap_or(new)
    }
}

/// The cells' sources after `edits` of the joined text (magics restored). `None` when they do not apply or the
/// result cannot be cut back into cells.
fn sources_after(
    edits: &[crate::report::ReportEdit],
    joined: &str,
    cells: &[Cell],
    magics: &[String],
) -> Option<Vec<String>> {
    let offset = |(line, col): (usize, usize)| {
        let start = if line == 1 { 0 } else { joined.match_indices('\n').nth(line - 2)?.0 + 1 };
        let rest = joined.get(start..)?;
        Some(start + rest.char_indices().nth(col - 1).map_or(rest.len(), |(i, _)| i))
    };
    let mut fixed = joined.to_string();
    for e in edits.iter().rev() {
        let (s, t) = (offset(e.start)?, offset(e.end)?);
        if s > t || t > fixed.len() {
            return None;
        }
        fixed.replace_range(s..t, &e.content);
    }
    split(&fixed, cells.len(), magics)
}

/// A line of the joined text as (cell number, line in the cell).
fn place(joined: &str, cells: &[Cell], line: usize) -> Option<(usize, usize)> {
    place_in(&cell_start_lines(joined), cells, line)
}

fn place_in(starts: &[usize], cells: &[Cell], line: usize) -> Option<(usize, usize)> {
    let i = starts.iter().rposition(|s| *s <= line)?;
    Some((cells.get(i)?.number, line - starts[i] + 1))
}

/// 1-based first line of each cell in the joined text.
fn cell_start_lines(joined: &str) -> Vec<usize> {
    let mut starts = vec![1];
    for (i, line) in joined.split_inclusive('\n').enumerate() {
        if line.trim_end_matches(['\n', '\r']) == BOUNDARY {
            starts.push(i + 2);
        }
    }
    starts
}

/// "syntax error at 7:3: ..." in the joined text -> "syntax error in cell 2 at 3:3: ...".
fn in_cells(reason: &str, joined: &str, cells: &[Cell]) -> String {
    let Some(rest) = reason.strip_prefix("syntax error at ") else { return reason.to_string() };
    let Some((pos, msg)) = rest.split_once(": ") else { return reason.to_string() };
    let Some((line, col)) = pos.split_once(':') else { return reason.to_string() };
    let (Ok(line), Ok(col)) = (line.parse::<usize>(), col.parse::<usize>()) else { return reason.to_string() };
    let starts = cell_start_lines(joined);
    match starts.iter().rposition(|s| *s <= line).and_then(|i| Some((cells.get(i)?.number, line - starts[i] + 1))) {
        Some((n, l)) => format!("syntax error in cell {n} at {l}:{col}: {msg}"),
        None => reason.to_string(),
    }
}

/// The notebook's JSON text with the changed cells' `source` values replaced, in the form and layout they had.
fn rewrite(json: &str, cells: &[Cell], sources: &[String]) -> String {
    let mut out = String::with_capacity(json.len() + 256);
    let mut last = 0;
    for (cell, new) in cells.iter().zip(sources) {
        // The joined text ends every cell with a newline; Jupyter usually stores the last line without one.
        let new = if cell.source.ends_with('\n') { new.as_str() } else { new.strip_suffix('\n').unwrap_or(new) };
        if new == cell.source {
            continue;
        }
        let (start, end) = cell.span;
        out.push_str(&json[last..start]);
        out.push_str(&render_source(&json[start..end], new, cell.as_lines));
        last = end;
    }
    out.push_str(&json[last..]);
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `new` as a `source` value shaped like `old` (one string, or a list laid out with the old list's whitespace).
fn render_source(old: &str, new: &str, as_lines: bool) -> String {
    if !as_lines {
        return json_string(new);
    }
    let items = string_spans(old);
    let (open, sep, close) = match items.as_slice() {
        [] => ("", ", ".to_string(), ""),
        [only] => (&old[1..only.0], format!(",{}", &old[1..only.0]), &old[only.1..old.len() - 1]),
        [first, second, ..] => {
            let last = items[items.len() - 1];
            (&old[1..first.0], old[first.1..second.0].to_string(), &old[last.1..old.len() - 1])
        }
    };
    let lines: Vec<String> = new.split_inclusive('\n').map(json_string).collect();
    format!("[{open}{}{close}]", lines.join(&sep))
}

/// Byte spans of the strings directly inside a JSON list `[...]` of strings.
fn string_spans(list: &str) -> Vec<(usize, usize)> {
    let b = list.as_bytes();
    let mut out = Vec::new();
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push((start, i + 1));
        }
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Where each cell's `source` value lies in the text: a small scanner over JSON already checked by serde_json.

/// For each element of the top-level `cells` list: the span of its `source` value, if it has one.
fn source_spans(json: &str) -> Option<Vec<Option<(usize, usize)>>> {
    let b = json.as_bytes();
    let mut i = 0;
    let top = members(b, &mut i)?;
    let (_, (cs, ce)) = top.into_iter().find(|(k, _)| k == "cells")?;
    let mut j = cs;
    let cells = elements(b, &mut j)?;
    debug_assert!(j <= ce);
    let mut out = Vec::new();
    for (s, _) in cells {
        let mut k = s;
        out.push(if b.get(s) == Some(&b'{') {
            members(b, &mut k)?.into_iter().find(|(key, _)| key == "source").map(|(_, span)| span)
        } else {
            None
        });
    }
    Some(out)
}

fn skip_ws(b: &[u8], i: &mut usize) {
    while *i < b.len() && b[*i].is_ascii_whitespace() {
        *i += 1;
    }
}

/// Skips one value starting at `*i` (after whitespace); returns its span.
fn value(b: &[u8], i: &mut usize) -> Option<(usize, usize)> {
    skip_ws(b, i);
    let start = *i;
    match *b.get(*i)? {
        b'"' => {
            *i += 1;
            while *b.get(*i)? != b'"' {
                *i += if b[*i] == b'\\' { 2 } else { 1 };
            }
            *i += 1;
        }
        b'{' => {
            members(b, i)?;
        }
        b'[' => {
            elements(b, i)?;
        }
        _ => {
            while *i < b.len() && !matches!(b[*i], b',' | b']' | b'}') && !b[*i].is_ascii_whitespace() {
                *i += 1;
            }
        }
    }
    Some((start, *i))
}

/// An object at `*i`: its (key, value span) pairs.
fn members(b: &[u8], i: &mut usize) -> Option<Vec<(String, (usize, usize))>> {
    skip_ws(b, i);
    if *b.get(*i)? != b'{' {
        return None;
    }
    *i += 1;
    let mut out = Vec::new();
    loop {
        skip_ws(b, i);
        if *b.get(*i)? == b'}' {
            *i += 1;
            return Some(out);
        }
        let (ks, ke) = value(b, i)?;
        let key: String = serde_json::from_slice(&b[ks..ke]).ok()?;
        skip_ws(b, i);
        if *b.get(*i)? != b':' {
            return None;
        }
        *i += 1;
        let span = value(b, i)?;
        out.push((key, span));
        skip_ws(b, i);
        if *b.get(*i)? == b',' {
            *i += 1;
        }
    }
}

/// A list at `*i`: its elements' spans.
fn elements(b: &[u8], i: &mut usize) -> Option<Vec<(usize, usize)>> {
    skip_ws(b, i);
    if *b.get(*i)? != b'[' {
        return None;
    }
    *i += 1;
    let mut out = Vec::new();
    loop {
        skip_ws(b, i);
        if *b.get(*i)? == b']' {
            *i += 1;
            return Some(out);
        }
        out.push(value(b, i)?);
        skip_ws(b, i);
        if *b.get(*i)? == b',' {
            *i += 1;
        }
    }
}

/// Unified diffs of the cells that differ between two versions of a notebook, headed `path:cell N`.
pub fn diff(old: &str, new: &str, path: &str, color: bool) -> String {
    let (Ok(a), Ok(b)) = (code_cells(old), code_cells(new)) else { return String::new() };
    let mut out = String::new();
    for (x, y) in a.iter().zip(&b) {
        if x.source != y.source {
            // Jupyter keeps a cell's last line without a newline: not worth a "\ No newline" marker per cell.
            let ended = |s: &str| if s.ends_with('\n') { s.to_string() } else { format!("{s}\n") };
            let name = format!("{path}:cell {}", x.number);
            out.push_str(&crate::diff::unified(&ended(&x.source), &ended(&y.source), &name, color));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magics_are_masked_and_restored_with_their_new_indent() {
        let cells = [Cell { number: 1, source: "%matplotlib inline\nx = 1".into(), span: (0, 0), as_lines: true }];
        let mut magics = Vec::new();
        let joined = join(&cells, &mut magics);
        assert_eq!(joined, "pass  # pyfix: magic 0\nx = 1\n");
        let back = split("    pass  # pyfix: magic 0\nx = 1\n", 1, &magics).unwrap();
        assert_eq!(back, ["    %matplotlib inline\nx = 1\n"]);
        assert!(split("x = 1\n", 1, &magics).is_none(), "a lost magic is refused");
    }

    #[test]
    fn a_fix_leaving_its_cell_is_refused_with_the_cells_it_reaches() {
        let cells = [
            Cell { number: 2, source: "x = 1\n%time y = 2\n".into(), span: (0, 0), as_lines: true },
            Cell { number: 4, source: "z = 3\n".into(), span: (0, 0), as_lines: true },
        ];
        let mut magics = Vec::new();
        let joined = join(&cells, &mut magics);
        let range = |from: &str, to: &str| {
            let start = joined.find(from).unwrap();
            let end = joined.find(to).unwrap() + to.len();
            ruff_text_size::TextRange::new((start as u32).into(), (end as u32).into())
        };
        let fix = |from, to| Fix::safe("t", vec![crate::edit::Edit::replace(range(from, to), "w = 0")]).unwrap();
        assert_eq!(leaves_its_cell(&joined, &fix("x = 1", "x = 1"), &cells, &magics), None);
        assert_eq!(
            leaves_its_cell(&joined, &fix("x = 1", "z = 3"), &cells, &magics).as_deref(),
            Some("its fix would reach from cell 2 into cell 4, and a block cannot span cells")
        );
        assert_eq!(
            leaves_its_cell(&joined, &fix("pass", "magic 0"), &cells, &magics).as_deref(),
            Some("its fix would remove or repeat the magic `%time y = 2` in cell 2")
        );
    }

    #[test]
    fn a_list_source_keeps_its_layout() {
        let old = "[\n    \"a = 1\\n\",\n    \"b = 2\"\n   ]";
        assert_eq!(
            render_source(old, "a = 1\nc = 3\nb = 2", true),
            "[\n    \"a = 1\\n\",\n    \"c = 3\\n\",\n    \"b = 2\"\n   ]"
        );
        assert_eq!(render_source("\"x\"", "y\n", false), "\"y\\n\"");
    }

    #[test]
    fn sources_are_found_by_span() {
        let json = r##"{"cells": [{"cell_type": "markdown", "source": "# t"}, {"source": ["x"], "cell_type": "code"}], "metadata": {}}"##;
        let spans = source_spans(json).unwrap();
        assert_eq!(spans.len(), 2);
        let (s, e) = spans[1].unwrap();
        assert_eq!(&json[s..e], "[\"x\"]");
    }

    #[test]
    fn magic_lines() {
        assert!(is_magic("%time f()"));
        assert!(is_magic("  !pip install x"));
        assert!(is_magic("files = !ls"));
        assert!(is_magic("len?"));
        assert!(!is_magic("x = a % b"));
        assert!(!is_magic("# what?"));
        assert!(!is_magic("print(x)  # ok?"));
        assert!(!is_magic("x != y"));
    }
}
