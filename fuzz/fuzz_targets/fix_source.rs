//! Any bytes through decode + fix_source (every codemod, unsafe fixes): no panic, and the invariants of check.rs.
#![no_main]

#[path = "../check.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = check::check_on_worker_stack(data) {
        panic!("{broken}");
    }
});
