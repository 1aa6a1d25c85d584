//! `bare-open`: a file opened without `with` and never reliably closed.

use crate::codemods::{Codemod, Context, Finding};

pub struct BareOpen;

impl Codemod for BareOpen {
    fn name(&self) -> &'static str {
        "bare-open"
    }
    fn summary(&self) -> &'static str {
        "a file opened without `with` and never reliably closed -> a `with` block [fix: safe, or unsafe when the handle may be kept]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/bare_open/README.md")
    }
    fn check(&self, _cx: &Context) -> Vec<Finding> {
        Vec::new()
    }
}
