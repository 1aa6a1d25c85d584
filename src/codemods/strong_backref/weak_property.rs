//! The back-reference fix: a property over `weakref.ref` / `weakref.WeakMethod`, `__weakref__` added to the
//! referent's slots when needed, and the attribute's annotation moved to an optional return type. What refuses the
//! fix is in `refusal.rs`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::annotations::{admits_none, lazy_annotations};
use crate::codemods::fix::{delete_stmts, ensure_import, optional_import, writes_pep604};
use crate::edit::{Edit, Fix};
use crate::semantic::is_builtin;

use super::backref::{Candidate, Shape};
use super::module_index::{Class, Member, Model, Store};

impl<'a> Model<'a, '_> {
    /// The property, its import, slot changes and a moved annotation; `Err` with the reason when pyfix cannot fix.
    pub(super) fn weak_property(&self, cand: &Candidate<'a>, stores: &[(&Store<'a>, usize)]) -> Result<Fix, String> {
        self.refusal(cand, stores)?;
        let cx = self.cx;
        let class = &self.classes[cand.class];
        let cname = class.name();
        let a = cand.attr;
        // Who is referred to, and can it be weakly referenced?
        let referent = match &cand.shape {
            Shape::Owner { owner, .. } => *owner,
            Shape::Linked { .. } | Shape::SelfRef | Shape::BoundMethod { .. } => Some(cand.class),
        };
        let mut edits = Vec::new();
        if let Some(r) = referent {
            match self.weakable(r, 0) {
                Weakable::Yes => {}
                Weakable::NeedsSlot => edits.push(self.add_weakref_slot(r)?),
                Weakable::No(reason) => return Err(reason),
            }
        }
        let base = format!("_{}_ref", a.trim_start_matches('_'));
        let taken = |n: &str| {
            self.stores.iter().any(|s| s.attribute().is_some_and(|t| t.attr.as_str() == n))
                || self.classes.iter().any(|c| c.members.contains_key(n) || c.has_slot(n))
        };
        let ref_name =
            if taken(&base) { (1..).map(|i| format!("{base}{i}")).find(|n| !taken(n)).unwrap_or(base) } else { base };
        if class.slots.is_some() {
            let names = class.slots.as_ref().and_then(|s| s.names.as_ref());
            let Some(names) = names else {
                return Err(format!("`{cname}.__slots__` is not a literal pyfix can rewrite"));
            };
            let Some((_, range)) = names.iter().find(|(n, _)| *n == a) else {
                return Err(format!(
                    "`{cname}.__slots__` does not list `{a}`, so pyfix cannot tell where it is stored"
                ));
            };
            let old = self.text(*range);
            let quote = old.chars().last().unwrap_or('"');
            let prefix_len = old.find(quote).unwrap_or(0);
            edits.push(Edit::replace(*range, format!("{}{quote}{ref_name}{quote}", &old[..prefix_len])));
        }
        let Some((import, weakref)) = ensure_import(cx, "weakref", None) else {
            return Err("the name `weakref` is taken in this module".to_string());
        };
        edits.extend(import);
        // An annotation moves to the property's return type.
        let mut annotation = None;
        for (s, _) in stores {
            if let Some(ann) = s.annotation {
                annotation.get_or_insert(ann);
                let Stmt::AnnAssign(asg) = s.stmt else { continue };
                edits.push(Edit::delete(TextRange::new(asg.target.end(), ann.end())));
            }
        }
        if let Some(Member::Annotation(decl)) = class.members.get(a) {
            let (deletion, _) = delete_stmts(cx, decl.range)
                .map_err(|_| format!("the declaration `{}` shares its line with other code", self.text(decl.range)))?;
            annotation.get_or_insert(&decl.annotation);
            edits.push(deletion);
        }
        // Else a `# type: T` comment on a store (the file's style: the property gets function type comments, and the
        // comment stays, which mypy reads as the setter's type), else the annotation of the parameter the attribute
        // stores (`def __init__(self, parent: Node)`).
        let mut comment_type = None;
        if annotation.is_none() {
            for (s, _) in stores {
                let Some(c) = cx.source.trailing_comment(s.stmt.end()) else { continue };
                let Some(t) = type_comment(self.text(c)) else { continue };
                comment_type.get_or_insert(t);
            }
        }
        if annotation.is_none() && comment_type.is_none() {
            annotation = cand.param.zip(stores.first()).and_then(|(p, (_, m))| {
                let def = self.methods[*m].def;
                def.parameters.iter().find(|q| q.name().as_str() == p).and_then(|q| q.annotation())
            });
        }
        let (returns, takes, getter_comment, setter_comment) = match (annotation, comment_type) {
            (Some(ann), _) => {
                let (getter, setter, import) = self.optional(ann, class)?;
                edits.extend(import);
                (format!(" -> {getter}"), format!(": {setter}) -> None"), String::new(), String::new())
            }
            (None, Some(t)) => {
                let getter = if ["Optional[", "Any", "object"].iter().any(|p| t.starts_with(p)) || t.contains("None") {
                    t.to_string()
                } else if writes_pep604(cx) {
                    format!("{t} | None")
                } else {
                    let (import, optional) = optional_import(cx).ok_or("the name `Optional` is taken")?;
                    edits.extend(import);
                    format!("{optional}[{t}]")
                };
                let u = cx.style.unit_below(cx.source.indent_at(class.def.start()));
                let inner = format!("{}{u}{u}", cx.source.indent_at(class.def.start()));
                let le = cx.style.line_ending;
                (
                    String::new(),
                    ")".to_string(),
                    format!("{inner}# type: () -> {getter}{le}"),
                    format!("{inner}# type: ({t}) -> None{le}"),
                )
            }
            (None, None) => (String::new(), ")".to_string(), String::new(), String::new()),
        };
        // The property goes after the method that first stores the attribute, else at the end of the class.
        let after = stores
            .first()
            .map(|(_, m)| self.methods[*m].def.range())
            .or_else(|| class.def.body.last().map(Ranged::range));
        let Some(after) = after else { return Err("the class has no body".into()) };
        let indent = match stores.first() {
            Some((_, m)) => cx.source.indent_at(self.methods[*m].def.start()),
            None => cx.source.indent_at(class.def.body.last().map_or(class.def.start(), Ranged::start)),
        };
        if !cx.source.starts_line(stores.first().map_or(after.start(), |(_, m)| self.methods[*m].def.start())) {
            return Err("the class body does not start its own lines".into());
        }
        let u = cx.style.unit_below(indent);
        let le = cx.style.line_ending;
        let ctor = if matches!(cand.shape, Shape::BoundMethod { .. }) { "WeakMethod" } else { "ref" };
        let at = cx.source.next_line_start(after.end());
        let lead = if at == cx.source.text_len() && !cx.source.text().ends_with(['\n', '\r']) { le } else { "" };
        // One blank line after the property, as before the next method.
        let next_line = &cx.source.text()[usize::from(at)..];
        let next_line = next_line.split(['\n', '\r']).next().unwrap_or("");
        let trail = if at < cx.source.text_len() && !next_line.trim().is_empty() { le } else { "" };
        let block = format!(
            "{lead}{le}\
             {indent}@property{le}\
             {indent}def {a}(self){returns}:{le}\
             {getter_comment}\
             {indent}{u}ref = self.{ref_name}{le}\
             {indent}{u}return None if ref is None else ref(){le}\
             {le}\
             {indent}@{a}.setter{le}\
             {indent}def {a}(self, value{takes}:{le}\
             {setter_comment}\
             {indent}{u}self.{ref_name} = None if value is None else {weakref}.{ctor}(value){le}\
             {trail}"
        );
        edits.push(Edit::insert(at, block));
        let title = match cand.shape {
            Shape::BoundMethod { .. } => format!("Make `{a}` a property over `weakref.WeakMethod`"),
            _ => format!("Make `{a}` a property over `weakref.ref`"),
        };
        let reason = match &cand.shape {
            Shape::Owner { owner, .. } => {
                let who = owner.map_or("an owner".to_string(), |o| format!("a `{}`", self.classes[o].name()));
                format!("{who} kept alive only through `{cname}.{a}` is now freed and `{a}` then reads `None`; `vars()`, `copy` and `pickle` see `{ref_name}`, a weak reference")
            }
            Shape::Linked { .. } => format!("a `{cname}` reached only through `{a}` (a list that keeps just its tail) is now freed and `{a}` then reads `None`; `copy` and `pickle` see `{ref_name}`, a weak reference"),
            Shape::SelfRef => format!("`{a}` reads the same while the object lives, but `vars()`, `copy` and `pickle` now see `{ref_name}`, a weak reference, and a deep copy's `{a}` refers to the original"),
            Shape::BoundMethod { .. } => {
                let public = if a.starts_with('_') {
                    String::new()
                } else {
                    format!(", and code elsewhere that sets `{a}` to a plain function now fails (`WeakMethod` takes bound methods only)")
                };
                format!("`{a}` reads the same while the object lives, but `vars()`, `copy` and `pickle` now see `{ref_name}`, a weak reference, and a deep copy's `{a}` calls the original{public}")
            }
        };
        Fix::unsafe_because(title, reason, edits)
            .ok_or_else(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string())
    }

    /// Whether instances of `class` can be weakly referenced, or can be once `__weakref__` joins its slots.
    pub(super) fn weakable(&self, class: usize, depth: usize) -> Weakable {
        let c = &self.classes[class];
        let mut bases_have_weakref = false;
        let mut unknown_base = None;
        for base in c.def.bases() {
            let e = match base {
                Expr::Call(call) => call.func.as_ref(),
                Expr::Subscript(sub) => sub.value.as_ref(),
                e => e,
            };
            if let Some(q) = self.sem.resolve_qualified_name(e) {
                if matches!(
                    q.as_str(),
                    "builtins.int"
                        | "builtins.bytes"
                        | "builtins.tuple"
                        | "builtins.bool"
                        | "collections.namedtuple"
                        | "typing.NamedTuple"
                ) {
                    return Weakable::No(format!(
                        "`{}` derives from `{}`, whose instances cannot be weakly referenced",
                        c.name(),
                        self.text(e.range())
                    ));
                }
                // `Generic` has empty `__slots__` and no `__weakref__`: like `object`.
                if matches!(q.as_str(), "builtins.object" | "typing.Generic" | "typing_extensions.Generic") {
                    continue;
                }
            }
            match self.binding_of_name(e).and_then(|b| self.class_of_binding.get(&b)) {
                Some(b) if depth < 8 => match self.weakable(*b, depth + 1) {
                    Weakable::Yes => bases_have_weakref = true,
                    Weakable::NeedsSlot => {}
                    no @ Weakable::No(_) => return no,
                },
                _ => unknown_base = Some(e),
            }
        }
        let Some(slots) = &c.slots else { return Weakable::Yes };
        let Some(names) = &slots.names else {
            return Weakable::No(format!("`{}.__slots__` is not a literal pyfix can read", c.name()));
        };
        if names.iter().any(|(n, _)| *n == "__weakref__") || bases_have_weakref {
            return Weakable::Yes;
        }
        match unknown_base {
            Some(b) => Weakable::No(format!(
                "`{}` has `__slots__` without `__weakref__` and derives from `{}`, which is not in this module: pyfix cannot tell whether it can be weakly referenced",
                c.name(),
                self.text(b.range())
            )),
            None => Weakable::NeedsSlot,
        }
    }

    /// `__slots__ = ("a",)` -> `__slots__ = ("a", "__weakref__",)`.
    fn add_weakref_slot(&self, class: usize) -> Result<Edit, String> {
        let c = &self.classes[class];
        let value = c.slots.as_ref().map(|s| s.value).ok_or("no slots")?;
        let quote = self.text(value.range()).chars().find(|ch| *ch == '"' || *ch == '\'').unwrap_or('"');
        let elts = match value {
            Expr::Tuple(t) => &t.elts,
            Expr::List(l) => &l.elts,
            Expr::Set(s) => &s.elts,
            Expr::StringLiteral(_) => {
                return Ok(Edit::replace(
                    value.range(),
                    format!("({}, {quote}__weakref__{quote})", self.text(value.range())),
                ));
            }
            _ => return Err(format!("`{}.__slots__` is not a literal pyfix can rewrite", c.name())),
        };
        match elts.last() {
            // One slot a line: `"__weakref__",` goes on a line of its own.
            Some(last)
                if self.text(TextRange::new(last.end(), value.end())).contains(['\n', '\r'])
                    && self.text(TextRange::new(last.end(), value.end())).trim_start().starts_with(',') =>
            {
                // After the line holding the trailing comma (and any comment on it).
                let at = self.cx.source.line_end(last.end());
                let indent = self.cx.source.indent_at(last.start());
                let le = self.cx.style.line_ending;
                Ok(Edit::insert(at, format!("{le}{indent}{quote}__weakref__{quote},")))
            }
            Some(last) => Ok(Edit::insert(last.end(), format!(", {quote}__weakref__{quote}"))),
            None => Ok(Edit::replace(value.range(), format!("({quote}__weakref__{quote},)"))),
        }
    }

    /// The property's return type from the attribute's annotation: `T` -> `Optional[T]` / `T | None`, quoted when
    /// it names something not yet defined where the class body runs.
    fn optional(&self, ann: &'a Expr, class: &Class<'a>) -> Result<(String, String, Option<Edit>), String> {
        let text = self.text(ann.range());
        let future = lazy_annotations(self.cx.module);
        let needs_quotes = !future && !ann.is_string_literal_expr() && {
            let mut late = LateNames { model: self, class, late: false };
            late.visit_expr(ann);
            late.late
        };
        let quoted = |t: &str| if needs_quotes { format!("\"{}\"", t.replace(['"', '\''], "")) } else { t.to_string() };
        // The setter takes what the attribute held.
        let setter = quoted(text);
        if admits_none(self.sem, ann) {
            return Ok((quoted(text), setter, None));
        }
        let modern = writes_pep604(self.cx);
        if let Expr::StringLiteral(s) = ann {
            let inner = s.value.to_str();
            return if modern {
                Ok((format!("\"{inner} | None\""), setter, None))
            } else {
                let (import, optional) = optional_import(self.cx).ok_or("the name `Optional` is taken")?;
                Ok((format!("{optional}[{text}]"), setter, import))
            };
        }
        let (body, import) = if modern {
            (format!("{text} | None"), None)
        } else {
            let (import, optional) = optional_import(self.cx).ok_or("the name `Optional` is taken")?;
            (format!("{optional}[{text}]"), import)
        };
        Ok((quoted(&body), setter, import))
    }
}

/// `T` from a `# type: T` comment (not `# type: ignore`).
fn type_comment(comment: &str) -> Option<&str> {
    let rest = comment.strip_prefix('#')?.trim_start().strip_prefix("type:")?.trim();
    let t = rest.split('#').next().unwrap_or(rest).trim();
    (!t.is_empty() && !t.starts_with("ignore")).then_some(t)
}

pub(super) enum Weakable {
    Yes,
    /// Its `__slots__` lacks `__weakref__`, which can be added.
    NeedsSlot,
    No(String),
}

/// Does an annotation name something not yet bound where the class statement starts (the class itself, a class
/// defined later)? Then it must be quoted in a `def` of the class body.
struct LateNames<'a, 'm, 'c> {
    model: &'m Model<'a, 'c>,
    class: &'m Class<'a>,
    late: bool,
}

impl<'a> Visitor<'a> for LateNames<'a, '_, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            let sem = self.model.sem;
            let at = self.class.def.start();
            let bound_before = sem.reference_of(n).and_then(|r| {
                let r = sem.reference(r);
                sem.lookup_at(n.id.as_str(), r.scope, at).filter(|b| sem.binding(*b).available <= at)
            });
            if bound_before.is_none() && !is_builtin(n.id.as_str()) {
                self.late = true;
            }
        }
        visitor::walk_expr(self, expr);
    }
}
