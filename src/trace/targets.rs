//! What `pyfix trace` asks the bootstrap to measure at exit: for each unbounded-cache and mutable-default finding,
//! the runtime object it names (a module-level global, a function's default, an `lru_cache` wrapper), located by
//! walking the module's statements to the finding's position. Pure: text and positions in, targets out.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};
use serde_json::{json, Value};

/// What to measure, as the bootstrap reads it (schema `targets`, without the measured fields).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    /// The global's, the function's name.
    pub name: String,
    /// The function's `__qualname__` (`Resolver.lookup`); empty for a global.
    pub qualname: String,
    /// `Kind::Defaults`: the parameter.
    pub param: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A module-level name: its `len` and size.
    Global,
    /// A parameter's default value (`f.__defaults__` / `__kwdefaults__`).
    Defaults,
    /// A cache decorator's wrapper: `cache_info().currsize`.
    Lru,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Global => "global",
            Kind::Defaults => "defaults",
            Kind::Lru => "lru",
        }
    }
}

impl Target {
    /// The entry of the plan handed to the bootstrap; it adds `ran`, `len` and `bytes`.
    pub fn to_json(&self, path: &str, line: usize, codemod: &str) -> Value {
        let mut v =
            json!({"path": path, "line": line, "codemod": codemod, "kind": self.kind.as_str(), "name": self.name});
        if self.kind != Kind::Global {
            v["qualname"] = json!(self.qualname);
        }
        if self.kind == Kind::Defaults {
            v["param"] = json!(self.param);
        }
        v
    }
}

/// The target a finding at `line`:`col` (1-based; the column in characters) of `text` names, if it names one that
/// can be reached at run time: a function nested in another (`f.<locals>.g`) or a lambda's default cannot.
pub fn locate(text: &str, line: usize, col: usize) -> Option<Target> {
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let offset = offset_of(text, line, col)?;
    in_body(&parsed.syntax().body, offset, "", true)
}

fn offset_of(text: &str, line: usize, col: usize) -> Option<TextSize> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let rest = text.get(start..)?;
    let within: usize = rest.chars().take(col.checked_sub(1)?).map(char::len_utf8).sum();
    TextSize::try_from(start + within).ok()
}

/// `module_level`: the statements run at import (the module's, and those of `if`/`try` blocks in it).
fn in_body(body: &[Stmt], offset: TextSize, prefix: &str, module_level: bool) -> Option<Target> {
    let stmt = body.iter().find(|s| s.range().contains_inclusive(offset))?;
    let qualified = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
    match stmt {
        Stmt::FunctionDef(f) => {
            let qualname = qualified(f.name.as_str());
            let function = |kind, param: &str| Target {
                kind,
                name: f.name.to_string(),
                qualname: qualname.clone(),
                param: param.to_string(),
            };
            if f.decorator_list.iter().any(|d| d.range().contains_inclusive(offset)) {
                return Some(function(Kind::Lru, ""));
            }
            for p in f.parameters.iter_non_variadic_params() {
                if p.default().is_some_and(|d: &Expr| d.range().contains_inclusive(offset)) {
                    return Some(function(Kind::Defaults, p.name().as_str()));
                }
            }
            // The name on the `def` line: a cache decorator's finding may point there.
            if f.name.range().contains_inclusive(offset) {
                return Some(function(Kind::Lru, ""));
            }
            // Inside the body: a function's locals, and nested functions, which only exist while it runs.
            None
        }
        Stmt::ClassDef(c) => in_body(&c.body, offset, &qualified(c.name.as_str()), false),
        // The finding points at the name (`_cache = {}`), not into the value (`f = lambda x=[]: x`).
        Stmt::Assign(a) if module_level => match a.targets.as_slice() {
            [Expr::Name(n)] if n.range().contains_inclusive(offset) => Some(global(n)),
            _ => None,
        },
        Stmt::AnnAssign(a) if module_level => {
            a.target.as_name_expr().filter(|n| n.range().contains_inclusive(offset)).map(global)
        }
        Stmt::If(i) if module_level => in_body(&i.body, offset, prefix, true)
            .or_else(|| i.elif_else_clauses.iter().find_map(|c| in_body(&c.body, offset, prefix, true))),
        Stmt::Try(t) if module_level => in_body(&t.body, offset, prefix, true)
            .or_else(|| {
                t.handlers.iter().find_map(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    in_body(&h.body, offset, prefix, true)
                })
            })
            .or_else(|| in_body(&t.orelse, offset, prefix, true))
            .or_else(|| in_body(&t.finalbody, offset, prefix, true)),
        _ => None,
    }
}

fn global(n: &ast::ExprName) -> Target {
    Target { kind: Kind::Global, name: n.id.to_string(), qualname: String::new(), param: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: usize, col: usize) -> Option<(Kind, String, String, String)> {
        locate(text, line, col).map(|t| (t.kind, t.name, t.qualname, t.param))
    }

    #[test]
    fn a_module_level_cache_is_a_global() {
        let text = "import x\n_cache = {}\n\ndef f(k):\n    return _cache.setdefault(k, k)\n";
        assert_eq!(at(text, 2, 1), Some((Kind::Global, "_cache".into(), String::new(), String::new())));
    }

    #[test]
    fn a_method_default_is_named_by_its_qualname_and_parameter() {
        let text = "class Item:\n    def __init__(self, name, tags=[]):\n        self.tags = tags\n";
        assert_eq!(at(text, 2, 35), Some((Kind::Defaults, "__init__".into(), "Item.__init__".into(), "tags".into())));
    }

    #[test]
    fn a_keyword_only_default_with_non_ascii_before_it() {
        let text = "def f(é='x', *, seen={}):\n    pass\n";
        assert_eq!(at(text, 1, 22), Some((Kind::Defaults, "f".into(), "f".into(), "seen".into())));
    }

    #[test]
    fn a_cache_decorator_is_an_lru_target() {
        let text = "import functools\nclass R:\n    @functools.cache\n    def lookup(self, k):\n        return k\n";
        assert_eq!(at(text, 3, 6), Some((Kind::Lru, "lookup".into(), "R.lookup".into(), String::new())));
    }

    #[test]
    fn what_cannot_be_reached_at_run_time_is_no_target() {
        // A nested function's default, a name local to a function, a lambda's default.
        let text = "def outer():\n    def inner(x=[]):\n        return x\n    cache = {}\n\nf = lambda x=[]: x\n";
        assert_eq!(at(text, 2, 17), None);
        assert_eq!(at(text, 4, 5), None);
        assert_eq!(at(text, 6, 14), None);
    }
}
