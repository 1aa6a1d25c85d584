//! Shared by the test files: running pyfix's pure core on a fixture with the options its header asks for.
#![allow(dead_code)]

pub mod process;

use std::path::{Path, PathBuf};

use pyfix::codemods::{self, Codemod};
use pyfix::config::PythonVersion;
use pyfix::{fix_source, FixOptions, Outcome};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The codemod a fixture belongs to: `codemods/bare_open/x.py` -> `bare-open`.
pub fn codemod_of(fixture: &Path) -> &'static dyn Codemod {
    let dir = fixture.parent().and_then(|d| d.file_name()).unwrap().to_string_lossy().replace('_', "-");
    codemods::by_name(&dir).unwrap_or_else(|| panic!("no codemod named `{dir}` for {}", fixture.display()))
}

/// Fixture options from a header line `# pyfix-fixture: target-version=3.8 safe-only`.
pub struct FixtureOptions {
    pub target: PythonVersion,
    pub unsafe_fixes: bool,
    /// `fix-noqa` in the header: `[tool.pyfix.bare-open] fix-noqa = true`.
    pub fix_noqa: bool,
}

pub fn fixture_options(text: &str) -> FixtureOptions {
    let mut o = FixtureOptions { target: pyfix::config::DEFAULT_TARGET, unsafe_fixes: true, fix_noqa: false };
    for line in text.lines().take(5) {
        let Some(rest) = line.trim().strip_prefix("# pyfix-fixture:") else { continue };
        for word in rest.split_whitespace() {
            if let Some(v) = word.strip_prefix("target-version=") {
                o.target = pyfix::config::parse_version(v).expect("bad target-version in fixture header");
            } else if word == "safe-only" {
                o.unsafe_fixes = false;
            } else if word == "fix-noqa" {
                o.fix_noqa = true;
            }
        }
    }
    o
}

pub fn run(text: &str, codemod: &'static dyn Codemod, opts: &FixtureOptions, is_stub: bool) -> Outcome {
    let list = [codemod];
    let alone = pyfix::project::ProjectView::alone();
    let settings = pyfix::codemods::CodemodSettings { fix_noqa: opts.fix_noqa, ..Default::default() };
    let opts = FixOptions {
        codemods: &list,
        unsafe_fixes: opts.unsafe_fixes,
        target: opts.target,
        is_stub,
        codemod_settings: &settings,
        fix_safety: &Default::default(),
        apply: true,
        project: Some(&alone),
        only: None,
    };
    fix_source(text, &opts)
}

/// Comments of a Python text (via Python's own tokenizer is too slow per file; this is a token-level scan by ruff).
pub fn comments(text: &str) -> Vec<String> {
    let parsed = ruff_python_parser::parse_module(text).expect("parses");
    parsed
        .tokens()
        .iter()
        .filter(|t| t.kind() == ruff_python_ast::token::TokenKind::Comment)
        .map(|t| text[ruff_text_size::Ranged::range(t)].trim().to_string())
        .collect()
}

/// Runs `python3 -c compile(...)` over files; returns the failures as text.
pub fn python_compile_errors(files: &[PathBuf]) -> Vec<String> {
    if files.is_empty() {
        return Vec::new();
    }
    let script = r#"
import sys
bad = []
for p in sys.argv[1:]:
    with open(p, "rb") as fh:
        src = fh.read()
    try:
        compile(src, p, "exec", dont_inherit=True)
    except SyntaxError as e:
        bad.append(f"{p}:{e.lineno}: {e.msg}")
print("\n".join(bad))
"#;
    let out = std::process::Command::new("python3").arg("-c").arg(script).args(files).output().expect("python3 runs");
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}
