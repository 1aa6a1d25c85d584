//! `Imports`: which module-level names are imports, read off the semantic model. Only reads: the edit that adds an
//! import is built by `codemods::fix::ensure_import`.

use rustc_hash::FxHashMap;

use crate::semantic::{BindingKind, Semantic};

pub struct Imports {
    /// Local name -> qualified name, for module-level names bound only by imports: `P` -> `pathlib.Path`.
    aliases: FxHashMap<String, String>,
}

impl Imports {
    /// Reads the module scope of the semantic model: no walk of its own.
    pub fn new(semantic: &Semantic) -> Self {
        let scope = semantic.scope(Semantic::MODULE);
        let mut aliases = FxHashMap::default();
        for name in scope.bound_names() {
            let mut qualified = None;
            let only_imports = scope.bindings_of(name).iter().all(|b| match &semantic.binding(*b).kind {
                BindingKind::Import(q) | BindingKind::FromImport(q) if !q.starts_with('.') => {
                    let same = qualified.as_ref().is_none_or(|seen: &String| seen == q);
                    qualified = Some(q.clone());
                    same
                }
                _ => false,
            });
            if let (true, Some(q)) = (only_imports, qualified) {
                aliases.insert(name.to_string(), q);
            }
        }
        Imports { aliases }
    }

    /// Some module-level import binds `module` or a name from it (`import mock`, `from unittest import mock`,
    /// `from unittest.mock import patch` all import `unittest.mock` or `mock`).
    pub fn imports_from(&self, module: &str) -> bool {
        self.aliases
            .values()
            .any(|q| q.strip_prefix(module).is_some_and(|rest| rest.is_empty() || rest.starts_with('.')))
    }

    /// The local name bound to `qualified` by a module-level import, if any.
    pub fn local_name_of(&self, qualified: &str) -> Option<&str> {
        let mut names: Vec<&String> =
            self.aliases.iter().filter(|(_, q)| q.as_str() == qualified).map(|(n, _)| n).collect();
        names.sort();
        names.first().map(|s| s.as_str())
    }
}
