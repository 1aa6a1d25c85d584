//! Every input the fuzzer (scripts/fuzz.sh) ever broke pyfix with, kept in tests/fuzz_regressions/ and checked
//! against the fuzz target's own invariants (fuzz/check.rs): no panic; a text that parses is fixed into one that
//! parses, compiles no worse and is left alone by a second run.

#[path = "../fuzz/check.rs"]
mod check;

use std::fs;

#[test]
fn every_kept_fuzz_input_keeps_the_invariants() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut inputs: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|path| {
            let data = fs::read(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            match std::panic::catch_unwind(|| check::check_on_worker_stack(&data)) {
                Ok(Ok(())) => None,
                Ok(Err(broken)) => Some(format!("{name}: {broken}")),
                Err(_) => Some(format!("{name}: panicked")),
            }
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_check_catches_what_it_is_meant_to_catch() {
    // The two sequential opens of issue 11: before fault isolation this was an internal error.
    let copy = b"def copy(a, b):\n    src = open(a)\n    dst = open(b, 'w')\n    dst.write(src.read())\n    dst.close()\n    src.close()\n";
    assert_eq!(check::check(copy), Ok(()));
    // Undecodable and unparsable bytes are fine: pyfix reports them and leaves them alone.
    assert_eq!(check::check(b"\xff\xfe\x00def ("), Ok(()));
}
