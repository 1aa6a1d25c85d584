//! The fuzzing invariant, shared by the fuzz target (fuzz/fuzz_targets/fix_source.rs) and the regression test
//! over the inputs it found (tests/fuzz_regressions.rs): any bytes, handled as pyfix handles a file, never panic;
//! when they parse, the fixed text parses, compiles no worse than the input, and a second run changes nothing.

use pyfix::{FixOptions, Outcome};

/// `Err` describes the broken invariant.
pub fn check(data: &[u8]) -> Result<(), String> {
    let Ok(decoded) = pyfix::decode(data) else { return Ok(()) };
    let alone = pyfix::project::ProjectView::alone();
    let opts = FixOptions {
        codemods: pyfix::codemods::ALL,
        unsafe_fixes: true,
        target: pyfix::config::DEFAULT_TARGET,
        is_stub: false,
        codemod_settings: &Default::default(),
        fix_safety: &Default::default(),
        apply: true,
        project: Some(&alone),
        only: None,
    };
    let Outcome::Checked { fixed, bugs, .. } = pyfix::fix_source(&decoded.text, &opts) else { return Ok(()) };
    if let Some(bug) = bugs.first() {
        return Err(format!("internal error: {bug}"));
    }
    let Some(fixed) = fixed else { return Ok(()) };
    let introduced = pyfix::compile::introduced_by_rewrite(&decoded.text, &fixed, opts.target)?;
    if !introduced.is_empty() {
        return Err(format!("the fixed text does not compile: {introduced:?}\n{fixed}"));
    }
    if decoded.encode(&fixed).is_err() {
        // Not a bug: pyfix refuses to write a text its encoding cannot hold.
        return Ok(());
    }
    match pyfix::fix_source(&fixed, &opts) {
        Outcome::Checked { fixed: None, bugs, .. } if bugs.is_empty() => Ok(()),
        Outcome::Checked { fixed: Some(again), .. } => {
            Err(format!("not idempotent: a second run changes\n{fixed}\ninto\n{again}"))
        }
        Outcome::Checked { bugs, .. } => Err(format!("second run: internal error: {}", bugs[0])),
        Outcome::Skipped { reason } => Err(format!("the fixed text is skipped: {reason}\n{fixed}")),
    }
}

/// Runs `check` on a thread with the stack pyfix's own workers get (deep nesting recurses deeply).
pub fn check_on_worker_stack(data: &[u8]) -> Result<(), String> {
    let data = data.to_vec();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || check(&data))
        .expect("spawn a checker thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
