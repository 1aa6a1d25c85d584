//! SIGINT and SIGTERM during a run over files: the signal only sets a flag (signal-hook's handler, no code of ours
//! runs in the handler); the run reads it between files and before each write, finishes the write in progress, never
//! starts another, saves the cache and exits 130 (SIGINT) or 143 (SIGTERM) with its summary. So every file is wholly
//! old or wholly new and no temporary file is left behind. (SIGKILL cannot be caught: a temporary file, never a
//! half-written one, may then remain.)
//! Only `lib.rs` calls this.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The last signal received (its number), 0 for none.
static RECEIVED: AtomicUsize = AtomicUsize::new(0);

/// From now on SIGINT and SIGTERM are recorded instead of ending the process. Called once per run; a failure to
/// register leaves the default (the process ends), which is no worse than before.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let _ = signal_hook::flag::register_usize(signal, &RECEIVED, signal as usize);
        }
    });
}

/// The signal that asked the run to stop, if one did.
pub fn received() -> Option<Signal> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        n if n == signal_hook::consts::SIGINT as usize => Some(Signal::Int),
        _ => Some(Signal::Term),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl Signal {
    /// 128 + the signal's number, as a shell reports a process the signal ended.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Int => 130,
            Signal::Term => 143,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }
}
