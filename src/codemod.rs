//! What every codemod works with: the `Codemod` trait, the `Finding` it returns and the `Context` it reads, with
//! text helpers shared by codemods (fresh names, re-indentation). Knows no codemod: the registry is `codemods::ALL`.

use std::cell::OnceCell;

use ruff_python_ast::{ModModule, PythonVersion};
use ruff_text_size::TextRange;

use crate::codemods::analyze::attributes::AttributeIndex;
use crate::edit::{Edit, Fix};
use crate::imports::Imports;
use crate::project::ProjectView;
use crate::semantic::Semantic;
use crate::source::{SourceFile, Style};

pub trait Codemod: Sync {
    /// The kebab-case id used by `--select` and config.
    fn name(&self) -> &'static str;
    /// One line for `--list`.
    fn summary(&self) -> &'static str;
    /// The codemod's README, shown by `--explain`.
    fn docs(&self) -> &'static str;
    fn check(&self, cx: &Context) -> Vec<Finding>;
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub codemod: &'static str,
    /// What to point at; its start gives the reported line.
    pub range: TextRange,
    /// The leak, not the remedy: lowercase, no trailing period, code in backticks.
    pub message: String,
    /// `None`: pyfix sees the leak but cannot rewrite it correctly.
    pub fix: Option<Fix>,
    /// Why there is no fix (shown by `--check` when `fix` is `None`).
    pub no_fix_reason: Option<String>,
}

impl Finding {
    /// `fix` is `None` only when `Fix::new` refused overlapping edits: say so rather than give no reason.
    pub fn new(codemod: &'static str, range: TextRange, message: impl Into<String>, fix: Option<Fix>) -> Self {
        let no_fix_reason =
            fix.is_none().then(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string());
        Finding { codemod, range, message: message.into(), fix, no_fix_reason }
    }
    pub fn without_fix(
        codemod: &'static str,
        range: TextRange,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Finding { codemod, range, message: message.into(), fix: None, no_fix_reason: Some(reason.into()) }
    }
}

/// What the settings tell the codemods (`[tool.pyfix]` and flags), typed: parsed and checked once by `config`,
/// never re-read as strings inside a codemod.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CodemodSettings {
    /// A project's own resource factories (`resource-factories`), for bare-open.
    pub resource_factories: Vec<ResourceFactory>,
    /// The `maxsize` for caches a fix bounds (`cache-maxsize`), for unbounded-cache.
    pub cache_maxsize: u32,
    /// Fix handles whose opening line says `# noqa: SIM115` or disables pylint's `consider-using-with`
    /// (`[tool.pyfix.bare-open] fix-noqa`), for bare-open. Off: such a handle is reported without a fix.
    pub fix_noqa: bool,
}

impl Default for CodemodSettings {
    fn default() -> Self {
        // functools' own default for `lru_cache(maxsize=...)`.
        CodemodSettings { resource_factories: Vec::new(), cache_maxsize: 128, fix_noqa: false }
    }
}

/// A function or class of the project whose result must be closed: `mylib.db.connect`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceFactory {
    pub qualified: String,
    pub closing: Closing,
}

/// How a resource factory's result is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Closing {
    /// `with factory() as r:`
    With,
    /// `with contextlib.closing(factory()) as r:`: its `__exit__` does not close, or it has none.
    Closing,
    /// `async with factory() as r:`
    AsyncWith,
}

impl Closing {
    /// The spellings config files use, in the order error messages list them.
    pub const NAMES: [(&'static str, Closing); 3] =
        [("with", Closing::With), ("closing", Closing::Closing), ("async-with", Closing::AsyncWith)];

    pub fn from_name(name: &str) -> Option<Closing> {
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }
}

/// Everything a codemod may look at for one file.
pub struct Context<'a> {
    pub source: &'a SourceFile<'a>,
    pub module: &'a ModModule,
    pub style: &'a Style,
    pub imports: &'a Imports,
    /// Scopes, bindings, resolved names and statement parents: the one place they are computed.
    pub semantic: &'a Semantic<'a>,
    /// The oldest Python the rewritten code must run on.
    pub target: PythonVersion,
    /// A `.pyi` stub: nothing runs, so most leaks cannot happen.
    pub is_stub: bool,
    /// What the settings tell the codemods, typed and resolved once per directory.
    pub settings: &'a CodemodSettings,
    /// Every `<expr>.name` in the module and what the code does with it: one walk on the first question
    /// (`attributes()`), however many codemods ask; none in a file where nothing asks.
    pub attribute_index: &'a OnceCell<AttributeIndex<'a>>,
    /// Whether the module imports `unittest` or `pytest` at top level: worked out on the first question
    /// (`analyze::project::is_test_module`), which codemods ask once per finding.
    pub imports_test_runner: &'a OnceCell<bool>,
    /// The other files of the file's project, for the questions one file cannot answer (asked through
    /// `analyze::project`). `None`: the text has no known place (stdin without `--stdin-filename`).
    pub project: Option<&'a ProjectView<'a>>,
}

impl<'a> Context<'a> {
    /// Every `<expr>.name` in the module and what the code does with it.
    pub fn attributes(&self) -> &AttributeIndex<'a> {
        self.attribute_index.get_or_init(|| AttributeIndex::new(&self.module.body))
    }

    /// True when `name` appears anywhere in the module as an identifier.
    pub fn is_name_used(&self, name: &str) -> bool {
        self.semantic.is_name_used(name)
    }

    /// The first of `candidates` that appears nowhere in the module, else the first with a number added.
    pub fn fresh_name(&self, candidates: &[&str]) -> String {
        if let Some(c) = candidates.iter().find(|c| !self.is_name_used(c)) {
            return (*c).to_string();
        }
        let base = candidates.first().copied().unwrap_or("tmp");
        (1..).map(|i| format!("{base}{i}")).find(|n| !self.is_name_used(n)).unwrap_or_default()
    }

    /// Insertions of `unit` at the start of every code line after the first line of `range`, up to the line
    /// holding its end. Lines that start inside a string literal and blank lines are left alone.
    pub fn reindent(&self, range: TextRange, unit: &str) -> Vec<Edit> {
        self.source.code_line_starts(range).into_iter().map(|at| Edit::insert(at, unit)).collect()
    }

    /// The range of a whole statement line: from the start of its first line to the start of the line after it.
    pub fn full_lines(&self, range: TextRange) -> TextRange {
        TextRange::new(self.source.line_start(range.start()), self.source.next_line_start(range.end()))
    }

    /// True when `stmt` is alone on its lines: nothing but indentation before it, nothing but a comment after it.
    pub fn stands_alone(&self, range: TextRange) -> bool {
        self.source.starts_line(range.start()) && self.source.ends_line(range.end())
    }
}

/// `0`, `"name"`, `-1`, `None`, `...`, `("a", 1)`: a literal that is the same immutable value every time it is
/// evaluated.
pub fn is_constant_literal(e: &ruff_python_ast::Expr) -> bool {
    use ruff_python_ast::Expr;
    match e {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::UnaryOp(u) => is_constant_literal(&u.operand),
        Expr::Tuple(t) => t.elts.iter().all(is_constant_literal),
        _ => false,
    }
}

/// Whether `text` contains any of `words` (plain substrings). For scans of a whole module's text: `memchr`'s
/// vectorised search, several times faster than `str::contains` over text that holds none of them (most modules).
pub fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| memchr::memmem::find(text.as_bytes(), w.as_bytes()).is_some())
}
