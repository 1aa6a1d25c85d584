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
/// One pass per word: for a fixed list of several words asked of every module, `Substrings` reads the text once.
pub fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| memchr::memmem::find(text.as_bytes(), w.as_bytes()).is_some())
}

/// A fixed list of plain substrings looked for in a whole module's text in one pass (`aho-corasick`'s vectorised
/// search for a few words), where `contains_any` reads the text once per word: over text that holds none of them
/// (most modules) that was one full pass per word. Built on first use; a `static` shared by every thread.
pub struct Substrings {
    words: &'static [&'static str],
    searcher: std::sync::OnceLock<Searcher>,
}

struct Searcher {
    /// Leftmost-first: the vectorised search (`aho-corasick` uses it for leftmost searches only).
    leftmost: Option<aho_corasick::AhoCorasick>,
    /// No two words overlap (`overlap`): then a leftmost search that goes on after each match meets every word
    /// that occurs.
    apart: bool,
}

/// Whether an occurrence of `b` can share bytes with an occurrence of another word `a` without being the same
/// occurrence: one contains the other, or an end of `a` begins `b` (or an end of `b` begins `a`).
fn overlap(a: &str, b: &str) -> bool {
    let ends_begin = |x: &str, y: &str| (1..x.len()).any(|i| x.is_char_boundary(i) && y.starts_with(&x[i..]));
    a.contains(b) || b.contains(a) || ends_begin(a, b) || ends_begin(b, a)
}

impl Substrings {
    /// At most 64 words (`present` answers with a bit per word), none of them empty.
    pub const fn new(words: &'static [&'static str]) -> Substrings {
        assert!(words.len() <= 64);
        Substrings { words, searcher: std::sync::OnceLock::new() }
    }

    fn searcher(&self) -> &Searcher {
        self.searcher.get_or_init(|| {
            let leftmost = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(self.words)
                .ok();
            let w = self.words;
            let apart = (0..w.len()).all(|i| (i + 1..w.len()).all(|j| !overlap(w[i], w[j])));
            Searcher { leftmost, apart }
        })
    }

    /// Whether `text` contains any of the words: `contains_any(text, words)` (a leftmost search finds a match
    /// wherever any word occurs).
    pub fn any_in(&self, text: &str) -> bool {
        match &self.searcher().leftmost {
            Some(s) => s.is_match(text),
            None => contains_any(text, self.words),
        }
    }

    /// Bit `i` set when `text` contains `words[i]`: `contains_any(text, &[words[i]])` for each `i`.
    pub fn present(&self, text: &str) -> u64 {
        let all = if self.words.len() == 64 { u64::MAX } else { (1u64 << self.words.len()) - 1 };
        let searcher = self.searcher();
        let (Some(s), true) = (&searcher.leftmost, searcher.apart) else {
            return (0..self.words.len()).filter(|&i| contains_any(text, &[self.words[i]])).fold(0, |m, i| m | 1 << i);
        };
        // A match hides no other word's occurrence: none can start inside it or at its start (no word contains,
        // begins or ends another), so the search, going on from its end, meets each word's first occurrence or one
        // before it.
        let mut found = 0u64;
        for m in s.find_iter(text) {
            found |= 1 << m.pattern().as_usize();
            if found == all {
                break;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::{contains_any, Substrings};

    #[test]
    fn substrings_answer_as_one_search_per_word_does() {
        // Words apart (the one-pass search), and words that overlap each other (one search per word).
        static APART: Substrings = Substrings::new(&["patch", "mock_open", "copy", "pickle", "é"]);
        static OVERLAPPING: Substrings = Substrings::new(&["patch", "atc", "copy", "copyreg", "pickle", "é"]);
        assert!(APART.searcher().apart && !OVERLAPPING.searcher().apart);
        let texts = [
            "",
            "nothing here",
            "mock.patch('x')",
            "deepcopy(x) and copyreg",
            "xcopyregx",
            "pat ch patc",
            "import pickle; café",
            "atc",
            "mock_openpatchcopy",
            "patchpatchpatch copy pickle é atc copyreg mock_open",
        ];
        for words in [&APART, &OVERLAPPING] {
            for text in texts {
                let each = (0..words.words.len())
                    .filter(|&i| contains_any(text, &[words.words[i]]))
                    .fold(0u64, |m, i| m | 1 << i);
                assert_eq!(words.present(text), each, "{text:?}");
                assert_eq!(words.any_in(text), contains_any(text, words.words), "{text:?}");
            }
        }
        assert_eq!(OVERLAPPING.present("patch"), 0b11);
        assert_eq!(OVERLAPPING.present("copyreg"), 0b1100);
        assert!(!APART.any_in("pat ch"));
    }

    #[test]
    fn words_overlap_where_one_holds_begins_or_ends_another() {
        use super::overlap;
        assert!(overlap("copy", "copyreg") && overlap("copyreg", "copy"));
        assert!(overlap("patch", "atc") && overlap("patch", "chart") && overlap("chart", "patch"));
        assert!(!overlap("patch", "mock_open") && !overlap("ResourceWarning", "resource_warning"));
        assert!(!overlap("pickle", "copy") && !overlap("shelve", "dill"));
    }
}
