//! The fix for an object used where it is opened (`data = open(p).read()`): wrap the statement in a `with` block, or
//! read the file into a variable in one just before it; and the start of a `with` line for a resource (`with_head`).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::{Context, Finding};
use crate::edit::{Edit, Fix};
use crate::semantic::ScopeKind;

use super::resources::NAME;
use super::resources::{Exit, Resource};
use super::scopes::Scope;
use super::with_block::lint_comment_edit;

/// `data = open(p).read()`, `for line in open(p):`, `json.load(open(p))`: wrap the statement in
/// `with open(p) as f:` and use `f` in place of the call.
#[allow(clippy::too_many_arguments)]
pub(super) fn inline_fix(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    call: &ast::ExprCall,
    exprs: &[&Expr],
    resource: &Resource,
    message: String,
    unsafe_reason: Option<String>,
    script_end: bool,
) -> Finding {
    let range = call.range();
    let no_fix = |why: &str| Finding::without_fix(NAME, range, message.clone(), why.to_string());
    let allowed = matches!(
        stmt,
        Stmt::Expr(_)
            | Stmt::Assign(_)
            | Stmt::AugAssign(_)
            | Stmt::AnnAssign(_)
            | Stmt::Return(_)
            | Stmt::For(_)
            | Stmt::If(_)
            | Stmt::Assert(_)
            | Stmt::Delete(_)
            | Stmt::Raise(_)
    );
    if !allowed {
        return no_fix("pyfix cannot put a `with` around this kind of statement");
    }
    if let Stmt::If(s) = stmt {
        if !s.test.range().contains_range(range) {
            return no_fix("the call is in an `elif` test");
        }
    }
    let own_lines = match stmt {
        // A compound statement: its header starts a line and its body starts another.
        Stmt::For(ast::StmtFor { body, .. }) | Stmt::If(ast::StmtIf { body, .. }) => {
            cx.source.starts_line(stmt.start()) && body.first().is_some_and(|b| cx.source.starts_line(b.start()))
        }
        _ => cx.stands_alone(stmt.range()),
    };
    if !own_lines {
        return no_fix("the statement shares a line with another statement or with its body");
    }
    let mut inline_unsafe: Option<String> = None;
    let (head, import) = match resource.closing {
        Exit::WithName => {
            return no_fix("`with` would bind its path, not the object: name it and use `with name:`");
        }
        // `subprocess.Popen(cmd).wait()`: the code waits already.
        Exit::ClosingIfClosed { reason } => return no_fix(reason),
        Exit::WithIf { methods, reason, on_error } => {
            if let Some(why) = on_error {
                inline_unsafe = Some(why.to_string());
            }
            let n = exprs.len();
            let waits = n >= 2
                && matches!(exprs[n - 1], Expr::Attribute(a) if a.value.range() == range && methods.contains(&a.attr.as_str()))
                && matches!(exprs[n - 2], Expr::Call(c) if c.func.range() == exprs[n - 1].range());
            if !waits {
                return no_fix(reason);
            }
            (format!("with {}", cx.source.slice(range)), None)
        }
        _ => match with_head(cx, scope, resource, call) {
            Ok(head) => head,
            Err(why) => return no_fix(&why),
        },
    };
    let mut unsafe_reason = unsafe_reason.or(inline_unsafe).or_else(|| resource.unproven());
    if contains_suspension(stmt) {
        unsafe_reason
            .get_or_insert_with(|| "the file now stays open while the code is suspended at `yield`/`await`".into());
    }
    if scope.kind == ScopeKind::Class {
        unsafe_reason.get_or_insert_with(|| "the `with` target becomes a class attribute".into());
    }
    if script_end {
        unsafe_reason.get_or_insert_with(|| SCRIPT_END.into());
    }
    let indent = cx.source.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent).to_string();
    let le = cx.style.line_ending;
    // A lint comment asking for `with` on the line that held the call is now false.
    let same_line = cx.source.line_start(range.start()) == cx.source.line_start(stmt.end());
    let lint_edit = if same_line { lint_comment_edit(cx, stmt.end()) } else { None };
    // `open(p)` alone as a statement (tests of open's errors): `with open(p):` + `pass`.
    if matches!(stmt, Stmt::Expr(e) if e.value.range() == range) {
        // `pass` goes after the end of the line, so a trailing comment stays on the `with` line.
        let mut edits = vec![
            Edit::replace(range, format!("{head}:")),
            Edit::insert(cx.source.line_end(stmt.end()), format!("{le}{indent}{unit}pass")),
        ];
        edits.extend(lint_edit);
        edits.extend(import);
        return Finding::new(NAME, range, message, Fix::new("Open it in a `with` block", unsafe_reason, edits));
    }
    let name = scope.fresh_name(cx, resource.names);
    if let Some(fix) = hoisted(cx, scope, stmt, call, exprs, (&head, import.clone()), &name, unsafe_reason.clone()) {
        return Finding::new(NAME, range, message, fix);
    }
    // A long statement at the end of a script (`setup(...)` over 30 lines) is never re-indented under a `with`.
    if script_end && cx.source.line_number(stmt.start()) != cx.source.line_number(stmt.end()) {
        return no_fix(
            "module-level code at the end of a script, in a statement of several lines that cannot read the file \
             first: a `with` would re-indent the whole statement for a file the process releases when it ends",
        );
    }
    let header = format!("{head} as {name}:{le}{indent}{unit}");
    // `(open(p)).read()`, `(open(p)\n .read())`: parentheses that only grouped the call chain go with it.
    let (replaced, text) = unparenthesized(cx, call, exprs, &name).unwrap_or((range, name.clone()));
    let mut edits = vec![Edit::insert(stmt.start(), header), Edit::replace(replaced, text)];
    edits.extend(lint_edit);
    edits.extend(import);
    // Re-indent the statement's other lines, but not the moved call's own lines.
    for e in cx.reindent(stmt.range(), &unit) {
        if !(replaced.start() < e.range.start() && e.range.start() <= replaced.end()) {
            edits.push(e);
        }
    }
    let title = format!("Wrap the statement in `with {} as {name}:`", short(cx.source.slice(range)));
    Finding::new(NAME, range, message, Fix::new(title, unsafe_reason, edits))
}

/// The start of the `with` line for `call` (`with X`, `with closing(X)`, `async with X`) and the import it needs;
/// `Err` with the reason when it cannot be written here.
pub(super) fn with_head(
    cx: &Context,
    scope: &Scope,
    resource: &Resource,
    call: &ast::ExprCall,
) -> Result<(String, Option<Edit>), String> {
    let text = cx.source.slice(call.range());
    match resource.closing {
        Exit::Closing | Exit::ClosingIfClosed { .. } => {
            let (import, closing) = crate::codemods::fix::ensure_import(cx, "contextlib", Some("closing"))
                .ok_or("the name `closing` is taken, so `contextlib.closing` cannot be imported")?;
            Ok((format!("with {closing}({text})"), import))
        }
        Exit::AsyncWith => {
            let in_async = cx.semantic.scope(scope.id).function().is_some_and(|f| f.is_async);
            if in_async {
                Ok((format!("async with {text}"), None))
            } else {
                Err(format!("`{}()` is closed by `async with`, which needs an `async def`", resource.shown))
            }
        }
        Exit::With | Exit::WithName | Exit::WithIf { .. } => Ok((format!("with {text}"), None)),
    }
}

/// Why a fix in module-level code at the end of a script is unsafe rather than safe.
pub(super) const SCRIPT_END: &str = "module-level code at the end of a script: the process ends right after and \
    releases it (CPython already at the end of the statement, with a `ResourceWarning`); the fix matters where the \
    module is imported and stays loaded";

/// Methods that read what they need from the file at once and return plain data.
const READ_METHODS: &[&str] = &["read", "readlines", "readline", "read_text", "read_bytes"];

/// `setup(..., long_description=open("README.rst").read(), ...)` spanning several lines: rather than re-indent the
/// whole statement under a `with`, read the file into a fresh variable in a `with` block just before it. Only when
/// nothing the statement evaluates before the read can have side effects (the read now happens first).
#[allow(clippy::too_many_arguments)]
fn hoisted(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    call: &ast::ExprCall,
    exprs: &[&Expr],
    (head, import): (&str, Option<Edit>),
    name: &str,
    unsafe_reason: Option<String>,
) -> Option<Option<Fix>> {
    let src = cx.source;
    let multi_line = src.line_start(stmt.start()) != src.line_start(stmt.end());
    let simple = matches!(stmt, Stmt::Expr(_) | Stmt::Assign(_) | Stmt::Return(_) | Stmt::AnnAssign(_));
    if !multi_line || !simple {
        return None;
    }
    // `open(p).read()`: the call, the attribute, the method call.
    let n = exprs.len();
    if n < 2 {
        return None;
    }
    let (Expr::Attribute(attr), Expr::Call(read)) = (exprs[n - 1], exprs[n - 2]) else { return None };
    if attr.value.range() != call.range()
        || read.func.range() != attr.range
        || !READ_METHODS.contains(&attr.attr.as_str())
        || !read.arguments.is_empty() && !read.arguments.args.iter().all(Expr::is_literal_expr)
    {
        return None;
    }
    // Only a multi-line call (not `x = open(p).read()` on several lines for another reason).
    if n < 3 || !matches!(exprs[n - 3], Expr::Call(_)) {
        return None;
    }
    if has_side_effects_before(stmt, read.range()) {
        return None;
    }
    let keyword = exprs
        .iter()
        .rev()
        .find_map(|e| match e {
            Expr::Call(c) => c.arguments.keywords.iter().find(|k| k.value.range() == read.range()),
            _ => None,
        })
        .and_then(|k| k.arg.as_ref().map(|a| a.as_str().to_string()));
    let candidates: Vec<&str> = keyword.as_deref().into_iter().chain(["content", "text_content"]).collect();
    let var = scope.fresh_name(cx, &candidates);
    if var == name {
        return None;
    }
    let indent = src.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent);
    let le = cx.style.line_ending;
    let read_text = format!("{name}{}", src.slice(TextRange::new(call.end(), read.end())));
    let header = format!("{head} as {name}:{le}{indent}{unit}{var} = {read_text}{le}{indent}");
    let mut edits = vec![Edit::insert(stmt.start(), header), Edit::replace(read.range(), var.clone())];
    edits.extend(import);
    let title =
        format!("Read `{}` into `{var}` in a `with` block before the statement", short(src.slice(call.range())));
    Some(Fix::new(title, unsafe_reason, edits))
}

/// Something in `stmt` evaluated before `target` may have side effects (a call, an `await`, a walrus...).
fn has_side_effects_before(stmt: &Stmt, target: TextRange) -> bool {
    struct Effects {
        target: TextRange,
        found: bool,
    }
    impl<'a> Visitor<'a> for Effects {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.found || e.start() >= self.target.start() {
                return;
            }
            let encloses = e.range().contains_range(self.target);
            match e {
                Expr::Call(c) if encloses => {
                    // The call itself runs after its arguments; its callee and earlier arguments run before.
                    self.visit_expr(&c.func);
                    visitor::walk_arguments(self, &c.arguments);
                }
                Expr::Call(_) | Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Named(_) => {
                    self.found = true;
                }
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut v = Effects { target, found: false };
    visitor::walk_stmt(&mut v, stmt);
    v.found
}

/// When the call, or the chain of attribute accesses and calls on it, is wrapped in grouping parentheses:
/// the range from `(` to `)` and the text to put there (the chain with the call replaced by `name`, on one line).
fn unparenthesized(cx: &Context, call: &ast::ExprCall, exprs: &[&Expr], name: &str) -> Option<(TextRange, String)> {
    let src = cx.source;
    let text = src.text();
    // Parentheses that belong to a call's arguments or to a tuple/generator are not grouping ones.
    let owned = |open: usize| {
        exprs.iter().any(|e| match e {
            Expr::Call(c) => usize::from(c.arguments.start()) == open,
            Expr::Tuple(t) => t.parenthesized && usize::from(t.start()) == open,
            Expr::Generator(g) => g.parenthesized && usize::from(g.start()) == open,
            _ => false,
        })
    };
    let mut cur: TextRange = call.range();
    let mut found = None;
    for parent in exprs.iter().rev().map(|e| Some(*e)).chain([None]) {
        // Grouping parentheses around `cur`?
        let before = text[..usize::from(cur.start())].trim_end();
        let after = text[usize::from(cur.end())..].trim_start();
        if before.ends_with('(') && after.starts_with(')') && !owned(before.len() - 1) {
            let open = before.len() - 1;
            let close = text.len() - after.len();
            found = Some((cur, TextRange::new(TextSize::try_from(open).ok()?, TextSize::try_from(close + 1).ok()?)));
        }
        let Some(parent) = parent else { break };
        let chained = match parent {
            Expr::Attribute(a) => a.value.range() == cur,
            Expr::Call(c) => c.func.range() == cur,
            Expr::Subscript(s) => s.value.range() == cur,
            _ => false,
        };
        if !chained {
            break;
        }
        cur = parent.range();
    }
    let (inner, group) = found?;
    let rest = TextRange::new(call.end(), inner.end());
    let chain = format!("{name}{}", src.slice(rest));
    // Joined onto one line, unless that could change a string or drop a comment.
    let joined = if chain.contains('\n') || chain.contains('\r') {
        if !src.comments_in(rest).is_empty() || chain.contains(['"', '\'', '\\']) {
            return None;
        }
        chain.lines().map(str::trim).collect::<String>()
    } else {
        chain
    };
    Some((group, joined))
}

fn short(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// True when the statement (not nested functions) holds a `yield` or an `await`.
fn contains_suspension(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, s);
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(false);
    f.visit_stmt(stmt);
    if let Stmt::For(s) = stmt {
        f.0 |= s.is_async;
    }
    f.0
}
