//! `strong-backref`: reference cycles from back-references (a child's pointer to the owner that keeps it, the `prev` of
//! a doubly linked node, `self.x = self`, a bound method stored on its own instance) and bound methods pinned by a
//! module- or class-level registry. Fixes hold the back reference weakly behind a property (or register a
//! `weakref.WeakMethod`) and are always unsafe: only the back edge of an owner/child pair, only where the owner keeps
//! its children in a container of its own and nothing shows it dropped first (`refusal.rs`), and only where the
//! objects are in no other cycle (`frees.rs`). Users' docs: codemods/strong_backref/README.md.

mod backref;
mod frees;
mod module_index;
mod no_leak;
mod refusal;
mod registry;
mod registry_class;
mod vocabulary;
mod weak_property;

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use crate::codemods::{Codemod, Context, Finding};
use crate::semantic::ScopeNode;

use self::backref::{Candidate, Shape};
use self::module_index::{squash, Member, Model};
use self::vocabulary::{registers, NAME};

pub struct StrongBackref;

impl Codemod for StrongBackref {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a back-reference or bound method that makes a reference cycle, or a registry that pins bound methods -> a property over `weakref.ref` / `weakref.WeakMethod` [fix: unsafe]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../../codemods/strong_backref/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        // Every cycle and registration found involves a class of this module (an attribute it declares or stores, or
        // one of its methods): without one, skip building the model.
        let has_class = cx.semantic.scopes().any(|(_, s)| matches!(s.node, ScopeNode::Class(_)));
        if cx.is_stub || !has_class {
            return Vec::new();
        }
        let model = Model::new(cx);
        // A test of the collector or of finalization: its cycles are what it tests.
        if model.test_module && model.tests_collector {
            return Vec::new();
        }
        let mut findings = model.attribute_cycles();
        findings.extend(model.registries());
        findings.sort_by_key(|f| (f.range.start(), f.range.end()));
        findings
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The decision tree: back-references (a property over a weak reference), then registries of bound methods
// (`weakref.WeakMethod`); each finding carries its unsafe fix or the reason there is none.

impl<'a> Model<'a, '_> {
    // -----------------------------------------------------------------------------------------------------------
    // Attribute cycles.

    fn attribute_cycles(&self) -> Vec<Finding> {
        let mut candidates: Vec<Candidate<'a>> = Vec::new();
        // Reported without a fix by the searches themselves, with the class that stays in a cycle.
        let mut stuck = Vec::new();
        self.owner_child(&mut candidates);
        self.owner_sets_itself(&mut candidates, &mut stuck);
        self.linked(&mut candidates);
        self.self_cycles(&mut candidates, &mut stuck);
        let mut seen = FxHashSet::default();
        let mut decided: Vec<(Candidate<'a>, Result<_, String>)> = Vec::new();
        for cand in candidates {
            if !seen.insert((cand.class, cand.attr)) {
                continue;
            }
            // No leak: test code, an owner that lives as long as the program or that only the cycle is meant to
            // keep, a cycle the class breaks on close, objects tk keeps, a dispatch attribute of an object that owns
            // nothing, one more entry of a container that points back by design, a store through a descriptor
            // (`no_leak.rs`).
            let (owner, pair) = match cand.shape {
                Shape::Owner { owner, .. } => (owner, true),
                _ => (None, false),
            };
            if self.no_leak(cand.class, owner, cand.attr)
                || (pair && self.cycle_broken_by_class(cand.class, owner, cand.attr, cand.evidence))
                || self.tk_widgets(cand.class, owner, self.owner_param(&cand))
                || self.dispatch(&cand).is_some()
                || self.one_entry_of_cyclic_container(&cand)
            {
                continue;
            }
            let class = &self.classes[cand.class];
            // Already behind a property (a previous run of pyfix, or by hand): writes go through its setter.
            if matches!(class.members.get(cand.attr), Some(Member::Property)) {
                continue;
            }
            // Already weak somewhere (`root.prev = weakref.proxy(link)`): a design that knows about the cycle.
            if self.stores.iter().any(|s| {
                self.writes_attr_of(s.target, cand.class, cand.attr) && s.value.is_some_and(|v| self.is_weak_value(v))
            }) {
                continue;
            }
            let stores = self.self_stores(cand.class, cand.attr);
            let result = self.weak_property(&cand, &stores);
            decided.push((cand, result));
        }
        // A fix frees something only if its classes are in no other cycle.
        self.withdraw_pointless(&mut decided, &stuck);
        let mut findings: Vec<Finding> = stuck.into_iter().map(|(f, _)| f).collect();
        for (cand, result) in decided {
            let stores = self.self_stores(cand.class, cand.attr);
            let range = stores.first().map_or(cand.evidence, |(s, _)| s.target.range());
            let message = self.message(&cand);
            findings.push(match result {
                Ok(fix) => Finding::new(NAME, range, message, Some(fix)),
                Err(reason) => Finding::without_fix(NAME, range, message, reason),
            });
        }
        findings
    }

    // -----------------------------------------------------------------------------------------------------------
    // Registries.

    fn registries(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut seen = FxHashSet::default();
        for (call, _) in &self.calls {
            let Expr::Attribute(f) = call.func.as_ref() else { continue };
            if !registers(f.attr.as_str()) {
                continue;
            }
            let Some(bound) = call.arguments.args.iter().find(|a| self.is_own_bound_method(a)) else { continue };
            let Expr::Attribute(bm) = bound else { continue };
            let class = self.methods[self.self_method(&bm.value).unwrap_or_default()].class;
            let Some(registry) = self.registry(&f.value) else { continue };
            // One finding per registry and class: the fix (or the reason there is none) covers every registration.
            if !seen.insert((squash(self.text(f.value.range())), class)) {
                continue;
            }
            if self.test_module && self.no_leak(class, None, "") {
                continue;
            }
            let cname = self.classes[class].name();
            let message = format!(
                "{} `{}` keeps the bound method `{}`, and with it every `{cname}` registered, until it is removed",
                registry.describe(),
                self.text(f.value.range()),
                self.text(bound.range())
            );
            findings.push(match self.weak_registry(&registry, f.attr.as_str()) {
                Ok(fix) => Finding::new(NAME, bound.range(), message, Some(fix)),
                Err(reason) => Finding::without_fix(NAME, bound.range(), message, reason),
            });
        }
        findings
    }
}
