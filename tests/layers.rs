//! The layer rules of `src/codemods/mod.rs`, checked on the code: a codemod folder never imports another codemod
//! folder, `analyze/` never builds edits, no file below the driver imports `lib.rs`, and no two files import each
//! other, even through others. Reads the `use` lines and the `crate::`/`super::` paths of every file under `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["codemods", "bare_open"]`) for every file under `src/` but `main.rs`.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let mut parts: Vec<String> =
                rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
            match parts.last().map(String::as_str) {
                Some("main") if parts.len() == 1 => continue,
                Some("lib") if parts.len() == 1 => parts.clear(),
                Some("mod") => {
                    parts.pop();
                }
                _ => {}
            }
            out.insert(parts, path);
        }
    }
    out
}

/// The code of a file without its comments (line comments and doc comments).
/// An inline `mod tests { ... }` ends what is read: `super` inside it is the file itself, and tests may import freely.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("mod ") && t.ends_with('{') {
            break;
        }
        let code = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e` (whitespace already removed).
fn expand(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else { return vec![tree.to_string()] };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len() - 1];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| {
            if i == "self" {
                vec![prefix.trim_end_matches("::").to_string()]
            } else {
                expand(&format!("{prefix}{i}"))
            }
        })
        .collect()
}

/// Turns paths written in the file of module `own` into absolute module paths.
struct Resolver {
    here: Vec<String>,
    parent: Vec<String>,
    /// Modules the file declares (`mod x;`): `x::f` is one of them.
    children: BTreeSet<String>,
}

impl Resolver {
    fn new(own: &[String], code: &str) -> Self {
        let children = code
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                let l = l.strip_prefix("pub ").or_else(|| l.strip_prefix("pub(crate) ")).unwrap_or(l);
                l.strip_prefix("mod ").map(|m| m.trim_end_matches(';').trim().to_string())
            })
            .collect();
        // `super` of `a::b` (whether `a/b.rs` or `a/b/mod.rs`) is `a`.
        Resolver { here: own.to_vec(), parent: own[..own.len().saturating_sub(1)].to_vec(), children }
    }

    fn absolute(&self, path: &str) -> Option<Vec<String>> {
        let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let (mut base, rest) = match segs.first().copied()? {
            "crate" => (Vec::new(), &segs[1..]),
            "self" => (self.here.clone(), &segs[1..]),
            "super" => {
                let mut base = self.parent.clone();
                let mut rest = &segs[1..];
                while rest.first() == Some(&"super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (base, rest)
            }
            first if self.children.contains(first) => (self.here.clone(), &segs[..]),
            _ => return None,
        };
        base.extend(rest.iter().map(|s| s.to_string()));
        Some(base)
    }
}

/// The paths a file's `use` statements import, braces expanded, aliases dropped, made absolute.
fn uses(own: &[String], text: &str) -> Vec<Vec<String>> {
    let code = code_of(text);
    let resolver = Resolver::new(own, &code);
    let mut out = Vec::new();
    // `use` statements, braces expanded.
    let mut rest = code.as_str();
    while let Some(i) = rest.find("use ") {
        let before_ok = i == 0 || !rest[..i].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_');
        let after = &rest[i + 4..];
        let Some(end) = after.find(';') else { break };
        if before_ok {
            // `Name as Alias` -> `Name`, then no whitespace.
            let words: Vec<&str> = after[..end].split_whitespace().collect();
            let mut kept = String::new();
            let mut skip = 0;
            for (k, w) in words.iter().enumerate() {
                if skip > 0 {
                    skip -= 1;
                    // `as Alias,` keeps what follows the alias.
                    kept.push_str(w.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'));
                    continue;
                }
                if *w == "as" && k + 1 < words.len() {
                    skip = 1;
                    continue;
                }
                kept.push_str(w);
            }
            for path in expand(&kept) {
                let path = path.trim_end_matches("::*").to_string();
                if let Some(p) = resolver.absolute(&path) {
                    out.push(p);
                }
            }
        }
        rest = &after[end..];
    }
    out
}

/// Every module path a file refers to: its `use` statements and the paths written inline.
fn references(own: &[String], text: &str) -> Vec<Vec<String>> {
    let code = code_of(text);
    let resolver = Resolver::new(own, &code);
    let mut out = uses(own, text);
    // Paths written inline: `crate::edit::Edit::insert(...)`, `super::Context`, `child::f(...)`.
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_alphanumeric() || bytes[i] == '_' || bytes[i] == ':') {
                i += 1;
            }
            let word: String = bytes[start..i].iter().collect();
            let prev = if start == 0 { ' ' } else { bytes[start - 1] };
            if word.contains("::")
                && prev != ':'
                && !(start >= 4 && bytes[start - 4..start].iter().collect::<String>() == "use ")
            {
                if let Some(p) = resolver.absolute(word.trim_end_matches(':')) {
                    out.push(p);
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The file a module path lands in: the longest prefix that is a module, following that module's own `use` of the
/// next name (`crate::codemods::Context` lands where `codemods/mod.rs` imports `Context` from).
fn owner(
    mods: &BTreeMap<Vec<String>, PathBuf>,
    imported: &BTreeMap<(Vec<String>, String), Vec<String>>,
    path: &[String],
    depth: usize,
) -> Option<Vec<String>> {
    let module = (0..=path.len()).rev().find_map(|n| mods.get_key_value(&path[..n]).map(|(k, _)| k))?;
    let rest = &path[module.len()..];
    if let (Some(name), true) = (rest.first(), depth < 8) {
        if let Some(target) = imported.get(&(module.clone(), name.clone())) {
            let mut next = target.clone();
            next.extend(rest[1..].iter().cloned());
            if next.as_slice() != path {
                return owner(mods, imported, &next, depth + 1);
            }
        }
    }
    Some(module.clone())
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let texts: BTreeMap<&Vec<String>, String> =
        mods.iter().map(|(m, f)| (m, std::fs::read_to_string(f).unwrap())).collect();
    // (module, name) -> the path that module imports the name from.
    let mut imported = BTreeMap::new();
    for (module, text) in &texts {
        for path in uses(module, text) {
            if let Some(last) = path.last() {
                imported.insert(((*module).clone(), last.clone()), path);
            }
        }
    }
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, text) in &texts {
        let to = edges.entry((*module).clone()).or_default();
        for r in references(module, text) {
            if let Some(target) = owner(&mods, &imported, &r, 0) {
                if &target != *module {
                    to.insert(target);
                }
            }
        }
    }
    edges
}

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "lib.rs (the driver)".to_string()
    } else {
        m.join("::")
    }
}

/// The codemod folder a module is in (`bare_open`), if any: `analyze` and `fix` are shared tiers, not codemods.
fn codemod_of(m: &[String]) -> Option<&str> {
    match m {
        [c, name, ..] if c == "codemods" && !matches!(name.as_str(), "analyze" | "fix") => Some(name),
        _ => None,
    }
}

#[test]
fn a_codemod_folder_never_imports_another() {
    let mut bad = Vec::new();
    for (from, tos) in graph() {
        for to in tos {
            if let (Some(a), Some(b)) = (codemod_of(&from), codemod_of(&to)) {
                if a != b {
                    bad.push(format!("{} imports {}", show(&from), show(&to)));
                }
            }
        }
    }
    assert!(bad.is_empty(), "a codemod asks `analyze/` or `fix/`, never another codemod:\n{}", bad.join("\n"));
}

#[test]
fn shared_tiers_import_no_codemod_and_analyze_builds_no_edit() {
    let mut bad = Vec::new();
    for (from, tos) in graph() {
        let tier = match from.as_slice() {
            [c, t, ..] if c == "codemods" && (t == "analyze" || t == "fix") => t.clone(),
            _ => continue,
        };
        for to in tos {
            if codemod_of(&to).is_some() {
                bad.push(format!("{} imports the codemod {}", show(&from), show(&to)));
            }
            if tier == "analyze" && (to == ["edit"] || to.starts_with(&["codemods".to_string(), "fix".to_string()])) {
                bad.push(format!(
                    "{} imports {}: `analyze/` answers questions, it never builds an edit",
                    show(&from),
                    show(&to)
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_file_below_the_driver_imports_it() {
    let bad: Vec<String> = graph()
        .into_iter()
        .filter(|(from, tos)| !from.is_empty() && tos.contains(&Vec::new()))
        .map(|(from, _)| show(&from))
        .collect();
    assert!(
        bad.is_empty(),
        "these files import from lib.rs (the driver); import the module that owns the item:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_import_graph_has_no_circle() {
    // Tarjan's strongly connected components over files.
    let g = graph();
    let nodes: Vec<&Vec<String>> = g.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let succ: Vec<Vec<usize>> =
        nodes.iter().map(|n| g[*n].iter().filter_map(|t| index_of.get(t).copied()).collect()).collect();
    struct T<'a> {
        succ: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        sccs: Vec<Vec<usize>>,
    }
    fn visit(t: &mut T, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for &w in &t.succ[v] {
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            t.sccs.push(scc);
        }
    }
    let n = nodes.len();
    let mut t = T {
        succ: &succ,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: vec![],
        next: 0,
        sccs: vec![],
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    let nodes = &nodes;
    let succ = &succ;
    let circles: Vec<String> = t
        .sccs
        .iter()
        .filter(|s| s.len() > 1)
        .map(|s| {
            let names: Vec<String> = s.iter().map(|&i| show(nodes[i])).collect();
            let ties: Vec<String> = s
                .iter()
                .flat_map(|&i| {
                    succ[i]
                        .iter()
                        .filter(|j| s.contains(j))
                        .map(move |&j| format!("{} -> {}", show(nodes[i]), show(nodes[j])))
                })
                .collect();
            format!("circle of {}: {}\n  {}", s.len(), names.join(", "), ties.join("\n  "))
        })
        .collect();
    assert!(
        circles.is_empty(),
        "import circles (move the shared item down to a file both can import):\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_sees_imports() {
    // The checks above are only as good as the reader: it must see an import of each form.
    let own = vec!["codemods".to_string(), "bare_open".to_string(), "flow".to_string()];
    let text = "use crate::edit::{Edit, Fix};\nuse super::model::{A, b::{C}};\nmod x;\nfn f() { crate::source::line(); x::g(); }\n// crate::ignored::Comment\n";
    let refs = references(&own, text);
    let has = |p: &[&str]| refs.iter().any(|r| r.iter().map(String::as_str).eq(p.iter().copied()));
    assert!(has(&["edit", "Edit"]) && has(&["edit", "Fix"]), "{refs:?}");
    assert!(
        has(&["codemods", "bare_open", "model", "A"]) && has(&["codemods", "bare_open", "model", "b", "C"]),
        "{refs:?}"
    );
    assert!(has(&["source", "line"]), "{refs:?}");
    assert!(has(&["codemods", "bare_open", "flow", "x", "g"]), "{refs:?}");
    assert!(!refs.iter().any(|r| r.first().is_some_and(|s| s == "ignored")), "{refs:?}");
}
