//! Running the user's test command once, in one copy of the tree: `sh -c COMMAND` in its own process group, with
//! its output (stdout and stderr together) in a file, bounded by `--verify-timeout` and stopped, with every process
//! it started, when pyfix is asked to stop (SIGINT/SIGTERM, `interrupt`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::interrupt;

/// How a run of the command ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Its exit status (128 + the signal's number when a signal ended it).
    Exited(i32),
    /// `--verify-timeout` passed first: the whole process group was killed.
    TimedOut(Duration),
    /// pyfix was asked to stop first: the whole process group was killed.
    Interrupted,
}

/// What one run left: how it ended, its output, and the JUnit XML report pytest wrote, if it did.
pub struct Ran {
    pub ended: Ended,
    pub output: String,
    pub junit: Option<String>,
}

/// Where one run happens.
pub struct Place<'a> {
    /// The copy of the tree (`PYFIX_VERIFY_ROOT` in the command's environment).
    pub root: &'a Path,
    /// The directory the command runs in: the copy's counterpart of the user's current directory.
    pub cwd: PathBuf,
    /// A scratch directory of this copy, outside the tree: the output and the JUnit report.
    pub scratch: &'a Path,
    /// More environment: the trace bootstrap's, when this run records evidence.
    pub env: Vec<(&'static str, std::ffi::OsString)>,
}

/// Runs `command` at `place`. `Err`: it could not be started at all (no `sh`).
pub fn run(command: &str, place: &Place, timeout: Option<Duration>) -> Result<Ran> {
    use std::os::unix::process::CommandExt;
    let out_path = place.scratch.join("output.txt");
    let junit_path = place.scratch.join("junit.xml");
    let _ = std::fs::remove_file(&junit_path);
    let out = std::fs::File::create(&out_path).with_context(|| format!("creating {}", out_path.display()))?;
    let err = out.try_clone().context("duplicating the output file")?;
    // pytest reads PYTEST_ADDOPTS whatever the command line looks like: the per-test results come from its report.
    let addopts = format!(
        "{} --junitxml={} -p no:cacheprovider",
        std::env::var("PYTEST_ADDOPTS").unwrap_or_default(),
        junit_path.display()
    );
    let mut child = Command::new("sh")
        .args(["-c", command])
        .current_dir(&place.cwd)
        .env("PYFIX_VERIFY_ROOT", place.root)
        // A rewritten file of the same size in the same second would otherwise be run from a stale .pyc.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTEST_ADDOPTS", addopts.trim())
        .envs(place.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0)
        .spawn()
        .context("starting `sh -c COMMAND`")?;
    let group = child.id() as libc::pid_t;
    let start = Instant::now();
    let ended = loop {
        if let Some(status) = child.try_wait().context("waiting for the command")? {
            use std::os::unix::process::ExitStatusExt;
            break Ended::Exited(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)));
        }
        if interrupt::received().is_some() {
            kill_group(group);
            let _ = child.wait();
            break Ended::Interrupted;
        }
        if let Some(limit) = timeout.filter(|&t| start.elapsed() >= t) {
            kill_group(group);
            let _ = child.wait();
            break Ended::TimedOut(limit);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // What the command left running in the background ends with it.
    kill_group(group);
    let output = String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default()).into_owned();
    let junit = std::fs::read(&junit_path).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
    Ok(Ran { ended, output, junit })
}

/// SIGKILL to every process of the group (the command's shell was its leader). A group already gone is fine.
fn kill_group(group: libc::pid_t) {
    // SAFETY: kill(2) with a negative pid signals a process group; it touches no memory of ours.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}
