//! What other modules of the project do with a name of this one, as far as pyfix can see them (`crate::project`
//! reads them). The one place codemods ask: never scan other files in a codemod.

use crate::codemod::Context;
pub use crate::project::Elsewhere;

/// Whether another file of the project may touch this module's top-level `name`: one that names both the module (as
/// it is imported: `platform`, `trans_real`) and `name` (`platform._platform_cache.clear()`,
/// `from pkg.mod import _cache`, `mock.patch("pkg.mod._cache", {})`). Words, not resolved uses: an answer of `No` is
/// reliable, `Yes` may be a coincidence. `Unknown` when the text has no known place (stdin without a file name) or
/// the project is too large to read.
pub fn module_global_named_elsewhere(cx: &Context, name: &str) -> Elsewhere {
    let Some(project) = cx.project else { return Elsewhere::Unknown };
    match project.module() {
        Some(module) => project.other_file_naming(&[&module, name]),
        None => project.other_file_naming(&[name]),
    }
}
