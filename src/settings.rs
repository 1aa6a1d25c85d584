//! `FileSettings`: everything that changes what pyfix makes of one file, as one immutable value. Plain data: the
//! `config::Resolver` builds it once per directory from the nearest config file and shares it by `Arc`.

use crate::codemods::{Codemod, CodemodSettings};
use crate::edit::{Applicability, Fix};
use ruff_python_ast::PythonVersion;

/// What one file is checked with. Two files with equal `FileSettings` and equal bytes give the same result, so the
/// whole value (its derived `Hash`) is the settings' part of the file's cache key: a field added here is in the key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileSettings {
    /// The codemods that run on the file: the selection less its per-file ignores, in registry order.
    pub codemods: Codemods,
    /// The oldest Python the file must run on.
    pub target: PythonVersion,
    pub unsafe_fixes: bool,
    /// Fixes are applied (in memory for `--dry-run`); `--check` only reports the input's findings.
    pub apply: bool,
    /// `--add-ignore`: a `# pyfix: ignore[...]` comment on each line left with a finding.
    pub add_ignore: bool,

    /// Process the file even when it says it is generated.
    pub include_generated: bool,
    /// What the codemods are told: resource factories, the `maxsize` for caches pyfix bounds.
    pub codemod_settings: CodemodSettings,
    /// A `.pyi` stub.
    pub is_stub: bool,
    /// `extend-safe-fixes` / `extend-unsafe-fixes`.
    pub fix_safety: FixSafety,
}

/// Per-codemod overrides of fix safety, as ruff spells them: `extend-safe-fixes` makes a codemod's unsafe fixes
/// safe, `extend-unsafe-fixes` makes its safe fixes unsafe. A finding without a fix stays without one. No codemod
/// is in both (`config` refuses that).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FixSafety {
    /// Codemods whose unsafe fixes are safe here, in registry order.
    pub safe: Vec<&'static str>,
    /// Codemods whose safe fixes are unsafe here, in registry order.
    pub unsafe_: Vec<&'static str>,
}

impl FixSafety {
    /// `fix` (of `codemod`) with the safety the settings give it. Keeps `Fix`'s invariant: a reason exactly when
    /// unsafe.
    pub fn apply(&self, codemod: &str, fix: &mut Fix) {
        if fix.applicability == Applicability::Unsafe && self.safe.contains(&codemod) {
            fix.applicability = Applicability::Safe;
            fix.reason = None;
        } else if fix.applicability == Applicability::Safe && self.unsafe_.contains(&codemod) {
            fix.applicability = Applicability::Unsafe;
            fix.reason = Some(format!("`extend-unsafe-fixes` in the config makes {codemod}'s fixes unsafe"));
        }
    }
}

/// Codemods, compared and hashed by name (the registry holds one codemod per name): a key stays the same from one
/// run to the next.
#[derive(Clone, Default)]
pub struct Codemods(pub Vec<&'static dyn Codemod>);

impl Codemods {
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|c| c.name())
    }
}

impl PartialEq for Codemods {
    fn eq(&self, other: &Self) -> bool {
        self.names().eq(other.names())
    }
}

impl Eq for Codemods {}

impl std::hash::Hash for Codemods {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for name in self.names() {
            name.hash(state);
        }
    }
}

impl std::ops::Deref for Codemods {
    type Target = [&'static dyn Codemod];
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::fmt::Debug for Codemods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}
