//! The edits of a fix: where the `if x is None:` guards go (after the docstring, `global`/`nonlocal`, the imports the
//! default needs and earlier guards), how the body is split to hold them, and the `x=None` replacements.
//! Making the annotation admit `None` is `annotation`'s.

use ruff_python_ast::{self as ast, CmpOp, Expr, ParameterWithDefault, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::annotation::optional;
use super::defaults::Shared;
use crate::codemods::Context;
use crate::edit::Edit;
use crate::semantic::ScopeId;

/// The statements the guards go after: the docstring, leading `global`/`nonlocal` declarations, leading imports
/// (a local import of a module the default uses) and guards pyfix wrote in an earlier pass.
pub(super) struct Prologue {
    /// Index of the first body statement after the prologue.
    first: usize,
    /// The body statements before `first`; `None` when there are none.
    span: Option<TextRange>,
}

impl Prologue {
    /// `needed`: the names the flagged defaults read; only leading imports that bind one of them stay above the guards.
    pub(super) fn of(cx: &Context, scope: ScopeId, f: &StmtFunctionDef, needed: &[&str]) -> Result<Prologue, String> {
        let sem = cx.semantic;
        let body = &f.body;
        let mut first = 0;
        if body.first().is_some_and(ruff_python_ast::helpers::is_docstring_stmt) {
            first = 1;
        }
        let guarded: Vec<&str> = f
            .parameters
            .iter_non_variadic_params()
            .filter(|p| p.default().is_some_and(Expr::is_none_literal_expr))
            .map(|p| p.name().as_str())
            .collect();
        // The leading run of declarations, imports and guards; the guards go after the last one that must precede them.
        let mut at = first;
        while let Some(stmt) = body.get(at) {
            let must_precede = match stmt {
                Stmt::Global(_) | Stmt::Nonlocal(_) => true,
                Stmt::Import(_) | Stmt::ImportFrom(_) => {
                    let id = sem.stmt_id(stmt);
                    needed.iter().any(|n| {
                        sem.scope(scope).bindings_of(n).iter().any(|b| id.is_some() && sem.binding(*b).stmt == id)
                    })
                }
                Stmt::If(i) if is_guard(i).is_some_and(|n| guarded.contains(&n)) => true,
                _ => break,
            };
            at += 1;
            if must_precede {
                first = at;
            }
        }
        if first >= body.len() {
            return Err("the body has nothing after its docstring and declarations to put the guard before".into());
        }
        let span = (first > 0).then(|| TextRange::new(body[0].start(), body[first - 1].end()));
        Ok(Prologue { first, span })
    }

    fn in_prologue(&self, range: TextRange) -> bool {
        self.span.is_some_and(|s| s.contains_range(range))
    }

    /// The function binds `name` itself outside the prologue (a parameter, an assignment, a later import...).
    pub(super) fn body_binds(&self, cx: &Context, scope: ScopeId, name: &str) -> bool {
        let sem = cx.semantic;
        sem.scope(scope).bindings_of(name).iter().any(|b| !self.in_prologue(sem.binding(*b).range))
    }

    /// The prologue binds `name` (a leading local import).
    pub(super) fn imports(&self, cx: &Context, scope: ScopeId, name: &str) -> bool {
        let sem = cx.semantic;
        sem.scope(scope).bindings_of(name).iter().any(|b| self.in_prologue(sem.binding(*b).range))
    }
}

/// `if x is None:` + `x = ...` and nothing else: a guard, maybe one pyfix wrote. Returns `x`.
fn is_guard(i: &ast::StmtIf) -> Option<&str> {
    if !i.elif_else_clauses.is_empty() || i.body.len() != 1 {
        return None;
    }
    let Expr::Compare(c) = i.test.as_ref() else { return None };
    let (Expr::Name(n), [CmpOp::Is], [Expr::NoneLiteral(_)]) = (c.left.as_ref(), &*c.ops, &*c.comparators) else {
        return None;
    };
    let Stmt::Assign(a) = &i.body[0] else { return None };
    match a.targets.as_slice() {
        [Expr::Name(t)] if t.id == n.id => Some(n.id.as_str()),
        _ => None,
    }
}

/// Where the guards go and how the text around them changes.
pub(super) struct Placement {
    /// The indentation of the body.
    indent: String,
    /// `def f(x=[]): "doc"; return x`: the body moves off the `def` line first.
    expand: Option<Edit>,
    /// Replaced by `before` + the guards + `after`.
    at: TextRange,
    before: String,
    after: String,
}

pub(super) fn placement(cx: &Context, f: &StmtFunctionDef, pro: &Prologue) -> Result<Placement, String> {
    let le = cx.style.line_ending;
    let body = &f.body;
    let (Some(head), Some(target)) = (body.first(), body.get(pro.first)) else {
        return Err("the function has no body to put the guard in".into());
    };
    if cx.source.starts_line(target.start()) {
        // The guards go on their own lines, after the prologue's last line (or the `def` line): comments that
        // sit above the first statement stay with it.
        let after = match pro.first.checked_sub(1) {
            Some(prev) => body[prev].end(),
            None => colon(cx, f).ok_or("cannot find the `:` that ends the `def` line")?,
        };
        let at = cx.source.next_line_start(after);
        if at > target.start() {
            return Err("the body shares a line with its docstring or declarations".into());
        }
        return Ok(Placement {
            indent: cx.source.indent_at(target.start()).to_string(),
            expand: None,
            at: TextRange::empty(at),
            before: String::new(),
            after: String::new(),
        });
    }
    if cx.source.starts_line(head.start()) {
        // `x = 1; return x`: split after the statement before the target.
        let indent = cx.source.indent_at(head.start()).to_string();
        let prev = &body[pro.first - 1];
        return Ok(Placement {
            at: TextRange::new(prev.end(), target.start()),
            before: le.to_string(),
            after: indent.clone(),
            indent,
            expand: None,
        });
    }
    // def f(x=[]): return x  <- body on the def line: move it to a block of its own.
    let colon = colon(cx, f).ok_or("cannot find the `:` that ends the `def` line")?;
    let def_indent = cx.source.indent_at(colon);
    let indent = format!("{def_indent}{}", cx.style.unit_below(def_indent));
    let gap = TextRange::new(colon + TextSize::from(1), head.start());
    if pro.first == 0 {
        return Ok(Placement { at: gap, before: le.to_string(), after: indent.clone(), indent, expand: None });
    }
    let prev = &body[pro.first - 1];
    Ok(Placement {
        expand: Some(Edit::replace(gap, format!("{le}{indent}"))),
        at: TextRange::new(prev.end(), target.start()),
        before: le.to_string(),
        after: indent.clone(),
        indent,
    })
}

/// The offset of the `:` that ends the `def` signature.
fn colon(cx: &Context, f: &StmtFunctionDef) -> Option<TextSize> {
    let from = f.returns.as_ref().map_or(f.parameters.end(), |r| r.end());
    let to = f.body.first()?.start();
    let gap = cx.source.slice(TextRange::new(from, to));
    // Between `)` (or the return annotation) and the body there is only whitespace, `->` and comments.
    gap.match_indices(':')
        .filter_map(|(i, _)| Some(from + TextSize::try_from(i).ok()?))
        .find(|at| !cx.source.in_comment(*at))
}

/// The edits for `chosen` defaults: each becomes `None` (its annotation admits `None`), and their guards are
/// written in parameter order in one edit. The reason is set when the fix must be unsafe whatever the verdict.
pub(super) fn guards<'p>(
    cx: &Context,
    place: &Placement,
    chosen: impl Iterator<Item = (&'p ParameterWithDefault, &'p Expr, Shared<'p>)>,
) -> Option<(Vec<Edit>, Option<String>)> {
    let le = cx.style.line_ending;
    let unit = cx.style.unit_below(&place.indent).to_string();
    let mut edits = Vec::new();
    let mut text = String::new();
    let mut reason = None;
    for (p, default, shared) in chosen {
        // The module's own object is never fixed (`decide` refuses it: the sharing is on purpose).
        let Shared::Built(_) = shared else { return None };
        let name = p.name().as_str();
        edits.push(Edit::replace(default.range(), "None"));
        if let Some(ann) = p.annotation() {
            match optional(cx, ann) {
                Ok(more) => edits.extend(more),
                Err(why) => reason = reason.or(Some(why)),
            }
        }
        let value = moved_text(cx, default, &format!("{}{unit}", place.indent));
        text.push_str(&format!("{0}if {name} is None:{le}{0}{unit}{name} = {value}{le}", place.indent));
    }
    if text.is_empty() {
        return None;
    }
    edits.push(Edit::replace(place.at, format!("{}{text}{}", place.before, place.after)));
    edits.extend(place.expand.clone());
    Some((edits, reason))
}

/// The default's source text for the guard line, continuation lines moved to sit under `indent`. Lines that
/// start inside a string literal are string content and stay byte for byte.
fn moved_text(cx: &Context, default: &Expr, indent: &str) -> String {
    let range = default.range();
    let old = cx.source.indent_at(range.start());
    let mut out = String::new();
    let mut last = range.start();
    for at in cx.source.code_line_starts(range) {
        out.push_str(cx.source.slice(TextRange::new(last, at)));
        let line = &cx.source.text()[usize::from(at)..usize::from(range.end())];
        let current = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        match current.strip_prefix(old) {
            Some(rest) => {
                out.push_str(indent);
                out.push_str(rest);
            }
            None => out.push_str(current),
        }
        last = at + TextSize::of(current);
    }
    out.push_str(cx.source.slice(TextRange::new(last, range.end())));
    out
}
