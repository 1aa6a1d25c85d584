//! `pyfix trace -- COMMAND`: runs a Python command with a recording bootstrap and writes one evidence file
//! (`pyfix-evidence/1`) of what the run leaked. Like `server/`, a driver of its own: it writes files and runs a
//! process; `lib.rs` hands it pyfix's findings and the exit-code plumbing, and nothing imports from it.
//!
//! How it works:
//! 1. `lib.rs` runs the check (unbounded-cache, mutable-default) over `--paths` and hands `run` the findings;
//!    `targets::locate` turns each into the runtime object it names (a global, a default, a cache wrapper).
//! 2. `run` makes a temporary directory with `boot/sitecustomize.py` (the standard-library-only bootstrap,
//!    `sitecustomize.py` beside this file, embedded), `plan.json` (the roots and targets) and `parts/`, puts `boot/`
//!    first on PYTHONPATH and runs COMMAND with stdio inherited. Every Python process that inherits the environment
//!    imports the bootstrap at start (it then imports the `sitecustomize` it shadows); fork children start a part
//!    of their own. Each process writes `parts/part-<pid>-*.json` when it exits (atexit, `os._exit`, SIGTERM).
//! 3. After COMMAND exits, `merge::merge` joins the parts and `run` writes the evidence file, then returns
//!    COMMAND's exit code (128 + the signal's number when a signal ended it).

pub mod merge;
pub mod targets;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde_json::{json, Value};

use crate::cli::TraceArgs;

/// The bootstrap, written as `sitecustomize.py` into the directory put first on PYTHONPATH.
const BOOTSTRAP: &str = include_str!("sitecustomize.py");

/// A finding the bootstrap should measure: where pyfix reported it and what it names.
pub struct Finding {
    /// Absolute, with symlinks resolved: the bootstrap finds the module by its `__file__`'s real path.
    pub path: PathBuf,
    pub line: usize,
    pub codemod: &'static str,
    pub target: targets::Target,
}

/// Runs the traced command; returns its exit code. `roots`: the directories and files analysed (absolute), where
/// the bootstrap looks first for the line that allocated an object. `stop_requested`: a SIGTERM pyfix received,
/// passed on to the command once.
pub fn run(args: &TraceArgs, roots: &[PathBuf], findings: &[Finding], stop_requested: &dyn Fn() -> bool) -> Result<u8> {
    let Some((program, rest)) = args.command.split_first() else {
        anyhow::bail!("trace: no command to run (usage: `pyfix trace -- python3 app.py`)");
    };
    let recorder = Recorder::new(roots, findings)?;
    let mut command = Command::new(program);
    command.args(rest).envs(recorder.env(args.frames)?);
    match args.interval {
        Some(secs) => command.env("PYFIX_TRACE_INTERVAL", secs.to_string()),
        None => command.env_remove("PYFIX_TRACE_INTERVAL"),
    };
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("trace: cannot run `{}`", program.to_string_lossy()))?;
    let mut forwarded = false;
    let status = loop {
        if let Some(status) = child.try_wait().context("trace: waiting for the command")? {
            break status;
        }
        // SIGINT from a terminal reaches the command itself (same process group); a SIGTERM sent to pyfix alone is
        // passed on, so that the command writes its evidence and ends as it would have.
        if !forwarded && stop_requested() {
            forwarded = true;
            // SAFETY: kill(2) on the child's pid; it touches no memory of ours. A child already gone is fine.
            unsafe {
                libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let duration = started.elapsed().as_secs_f64();
    let exit_code = exit_code(&status);
    let run = merge::Run {
        command: args.command.iter().map(|a| a.to_string_lossy().into_owned()).collect(),
        exit_code,
        duration_s: duration,
    };
    let evidence = recorder.evidence(&run);
    let mut text = serde_json::to_string_pretty(&evidence).context("trace: the evidence")?;
    text.push('\n');
    std::fs::write(&args.out, text).with_context(|| format!("trace: writing {}", args.out.display()))?;
    Ok(u8::try_from(exit_code).unwrap_or(1))
}

/// A recording made ready in a temporary directory (removed when dropped): the bootstrap, the plan (roots and
/// targets) and the directory the traced processes write their parts to. `pyfix trace` runs one command with it;
/// `--verify` runs its test command with it, in a copy of the tree.
pub struct Recorder {
    dir: tempfile::TempDir,
}

impl Recorder {
    pub fn new(roots: &[PathBuf], findings: &[Finding]) -> Result<Recorder> {
        let dir = tempfile::Builder::new()
            .prefix("pyfix-trace-")
            .tempdir()
            .context("trace: creating a temporary directory")?;
        let boot = dir.path().join("boot");
        let parts = dir.path().join("parts");
        std::fs::create_dir_all(&boot)
            .and_then(|()| std::fs::create_dir_all(&parts))
            .context("trace: creating a temporary directory")?;
        std::fs::write(boot.join("sitecustomize.py"), BOOTSTRAP).context("trace: writing the bootstrap")?;
        let plan = json!({
            "roots": roots.iter().map(|r| r.to_string_lossy()).collect::<Vec<_>>(),
            "targets": findings.iter().map(|f| f.target.to_json(&f.path.to_string_lossy(), f.line, f.codemod)).collect::<Vec<_>>(),
        });
        std::fs::write(dir.path().join("plan.json"), plan.to_string()).context("trace: writing the plan")?;
        Ok(Recorder { dir })
    }

    /// The environment that makes a Python process record: the bootstrap first on PYTHONPATH (before the one
    /// inherited), where to write, the plan, the tracemalloc frames to keep.
    pub fn env(&self, frames: u16) -> Result<Vec<(&'static str, std::ffi::OsString)>> {
        let mut python_path = vec![self.dir.path().join("boot")];
        if let Some(existing) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
            python_path.extend(std::env::split_paths(&existing));
        }
        Ok(vec![
            ("PYTHONPATH", std::env::join_paths(python_path).context("trace: PYTHONPATH")?),
            ("PYFIX_TRACE_DIR", self.parts().into_os_string()),
            ("PYFIX_TRACE_PLAN", self.dir.path().join("plan.json").into_os_string()),
            ("PYFIX_TRACE_PARENT", std::process::id().to_string().into()),
            ("PYFIX_TRACE_FRAMES", frames.to_string().into()),
        ])
    }

    /// Once the command has exited: the parts its processes wrote (waiting a little for stragglers), merged.
    pub fn evidence(&self, run: &merge::Run) -> Value {
        let parts = self.parts();
        wait_for_stragglers(&parts);
        merge::merge(run, read_parts(&parts))
    }

    fn parts(&self) -> PathBuf {
        self.dir.path().join("parts")
    }
}

fn exit_code(status: &std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    status.code().unwrap_or(1)
}

/// How long to wait, after the command exits, for processes it left running (multiprocessing's resource tracker,
/// a forkserver, a daemon) to write their parts.
const STRAGGLERS: Duration = Duration::from_secs(5);

/// Waits while a traced process that is still alive has not written its part (each leaves `live-<pid>` in the
/// parts directory until it has), at most `STRAGGLERS`.
fn wait_for_stragglers(parts: &Path) {
    let deadline = Instant::now() + STRAGGLERS;
    while Instant::now() < deadline {
        let waiting = std::fs::read_dir(parts).into_iter().flatten().flatten().any(|e| {
            let name = e.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("live-")) else { return false };
            // A process killed before it could write (SIGKILL) is not waited for, where /proc tells.
            let proc = Path::new("/proc");
            !proc.is_dir() || proc.join(pid).exists()
        });
        if !waiting {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every finished part (a process killed before it could write leaves none; a torn one is never renamed into place).
fn read_parts(dir: &Path) -> Vec<Value> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    names.iter().filter_map(|p| std::fs::read_to_string(p).ok()).filter_map(|t| merge::parse_part(&t)).collect()
}

/// A path as the bootstrap sees one: absolute, symlinks resolved (as `os.path.realpath`).
pub fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}
