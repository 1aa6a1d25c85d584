//! `pyfix --verify COMMAND`: the project's own tests judge the fixes before any lands.
//!
//! The algorithm:
//! 1. The candidates are the fixes the run would apply (safe ones, and unsafe ones with `--unsafe-fixes`), one per
//!    finding (file, line of the input, codemod), in path and line order. Each set of candidates is applied the way
//!    `--select-confirmed` restricts a run: the engine's `FixOptions::only` keeps exactly those findings' fixes.
//! 2. Copies of the tree (`copies`): copy 0 stays pristine and runs COMMAND once for the baseline; copies 1..=N
//!    (`-j N`) run the candidate sets. A run writes every candidate file of its copy (the original text, or the text
//!    with that set's fixes), so one copy serves any number of sets. The command's results are read per test where
//!    the runner gives them (`results`); a test *broke* when the baseline passed it and the set fails it.
//! 3. The whole kept set runs; if it breaks a test, the same set runs again: a test that does not fail again is
//!    flaky (reported, never blamed on a fix, and not counted from then on). If the failure repeats, bisection
//!    finds the fix that breaks it: first the shortest prefix of the files (all their kept fixes) that breaks a
//!    test, then, with the files before it fixed, the shortest prefix of that file's fixes. With N copies each step
//!    tries N cut points at once. The fix at the end of that prefix is dropped, with the test it broke and its
//!    first error line, and the kept set runs again, until it breaks nothing.
//! 4. The baseline and every run of a whole kept set run under `pyfix trace`'s bootstrap (`trace::Recorder`, its
//!    roots the candidates' files in that copy); the bisection steps and the flakiness reruns do not. The
//!    baseline's evidence and that of the last run of the kept set (the one that passed) are judged as `--evidence`
//!    judges them (`evidence::judge`, the copy's paths in place of the user's): a kept fix is verified, passes
//!    tests or was not exercised (`Verifier::exercised`).
//! 5. Only then are the kept fixes written to the user's tree (the normal atomic writer, which refuses a file
//!    changed meanwhile), or shown as diffs with `--dry-run`.
//!
//! Like `lib.rs`, this is driver code: it reads the user's files, writes the copies (never the user's tree before
//! step 5), runs processes and prints. Every copy is removed when dropped, so an error or SIGINT/SIGTERM (read
//! between runs, and while a run waits: its process group is killed) leaves the user's tree as it was.

mod command;
mod copies;
mod results;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};

use crate::config::{Mode, Settings};
use crate::edit::Applicability;
use crate::engine::Only;
use crate::evidence::{self, canonical, Evidence, Status};
use crate::output::{display_path, plural};
use crate::report::Report;
use crate::settings::FileSettings;
use crate::{discovery, interrupt, notebook, trace, write};

/// What `verify` asks of the driver (`lib.rs` answers, as its own runs would): it never imports the driver.
pub trait Engine {
    /// The findings of the file's text, unfixed (with `--evidence --select-confirmed`: only the confirmed ones).
    /// `None`: the file is left alone (generated, or it cannot be processed).
    fn findings(&self, path: &Path, bytes: &[u8], fs: &FileSettings) -> Option<Vec<Report>>;
    /// The file's bytes with exactly the fixes `only` accepts; `Ok(None)`: unchanged.
    fn fixed(&self, path: &Path, bytes: &[u8], fs: &FileSettings, only: &Only) -> Result<Option<Vec<u8>>, String>;
    /// The unified diff `--dry-run` shows.
    fn diff(&self, path: &Path, old: &str, new: &str) -> String;
}

/// Context for a failed write to stdout.
const STDOUT: &str = "writing to stdout";

use command::{Ended, Place};
use copies::{Copy, Tree};
use results::{Broken, Results};

/// The tracemalloc frames the traced runs keep: the allocating line is the innermost frame in the tree; fewer
/// frames cost less (`pyfix trace`'s README section on overhead).
const TRACE_FRAMES: u16 = 4;

/// `--verify` and the flags that go with it.
pub struct Options {
    pub command: String,
    pub jobs: usize,
    pub timeout: Option<Duration>,
}

/// A file with candidate fixes.
struct File {
    path: PathBuf,
    /// Its path in the tree, and so in every copy.
    rel: PathBuf,
    bytes: Vec<u8>,
    fs: Arc<FileSettings>,
}

/// One candidate fix: the finding it belongs to.
struct Candidate {
    file: usize,
    line: usize,
    codemod: &'static str,
    message: String,
    title: String,
    safety: Applicability,
    /// The finding, in the input text.
    report: Report,
}

/// Why the verification stopped early: a signal (nothing is written).
struct Stopped(interrupt::Signal);

struct Verifier<'a> {
    settings: &'a Settings,
    opts: &'a Options,
    files: Vec<File>,
    candidates: Vec<Candidate>,
    engine: &'a dyn Engine,
    copies: Vec<Copy>,
    /// The command's directory relative to the tree.
    cwd: PathBuf,
    baseline: Option<Results>,
    flaky: BTreeSet<String>,
    runs: usize,
    /// The evidence the baseline recorded.
    before: Option<Evidence>,
    /// Where copies 0 and 1 are, canonical (the evidence names their files).
    copies_roots: Vec<PathBuf>,
    /// The last run of a whole kept set: the set and the evidence it recorded.
    after: Option<(Vec<usize>, Evidence)>,
}

/// The whole `--verify` run. Returns the exit code: 0 every fix kept, 1 some dropped (their findings remain), 2 an
/// error, 130/143 interrupted (nothing written).
pub fn run(settings: &Settings, opts: &Options, engine: &dyn Engine, out: &mut impl Write) -> Result<u8> {
    if settings.stdin {
        bail!("--verify needs files: it runs the tests on copies of their tree, not on stdin");
    }
    interrupt::install();
    let start = Instant::now();
    let tree = Tree::find(&settings.cwd);
    let cwd = canonical(&settings.cwd).strip_prefix(&tree.root).map(Path::to_path_buf).unwrap_or_default();
    let mut v = Verifier {
        settings,
        opts,
        files: Vec::new(),
        candidates: Vec::new(),
        engine,
        copies: Vec::new(),
        cwd,
        baseline: None,
        flaky: BTreeSet::new(),
        runs: 0,
        before: None,
        after: None,
        copies_roots: Vec::new(),
    };
    v.gather(&tree)?;
    let say = |s: String| {
        if !settings.quiet {
            eprintln!("pyfix: verify: {s}");
        }
    };
    if v.candidates.is_empty() {
        say("no fix to verify".to_string());
        return Ok(0);
    }
    let files = v.candidates.iter().map(|c| c.file).collect::<BTreeSet<_>>().len();
    say(format!(
        "{} in {} to verify with `{}`; copying {} ({} copies)",
        fixes(v.candidates.len()),
        plural(files, "file"),
        opts.command,
        tree.root.display(),
        opts.jobs + 1
    ));
    for _ in 0..=opts.jobs {
        v.copies.push(Copy::new(&tree)?);
    }
    v.copies_roots = v.copies.iter().take(2).map(|c| canonical(&c.root)).collect();
    let outcome = match v.bisect(&say) {
        Ok(outcome) => outcome,
        Err(Stop::Signal(Stopped(signal))) => {
            drop(v.copies);
            eprintln!("pyfix: verify: interrupted by {}: nothing written, copies removed", signal.name());
            return Ok(signal.exit_code());
        }
        Err(Stop::Error(e)) => return Err(e),
    };
    drop(std::mem::take(&mut v.copies));
    v.finish(outcome, start, out)
}

enum Stop {
    Signal(Stopped),
    Error(anyhow::Error),
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Stop {
        Stop::Error(e)
    }
}

/// What bisection decided.
struct Decided {
    kept: Vec<usize>,
    dropped: Vec<(usize, Broken)>,
}

impl Verifier<'_> {
    /// The files and their candidate fixes, as the run would find them.
    fn gather(&mut self, tree: &Tree) -> Result<()> {
        let discovered = discovery::python_files(self.settings);
        if let Some((path, reason)) = discovered.errors.first() {
            bail!("{}: {reason}", path.display());
        }
        for path in discovered.files {
            if notebook::is_notebook(&path) {
                continue;
            }
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let fs = self.settings.file_settings(&path)?;
            let Some(findings) = self.engine.findings(&path, &bytes, &fs) else { continue };
            let wanted = |a: Applicability| a == Applicability::Safe || fs.unsafe_fixes;
            let mut found: Vec<Candidate> = Vec::new();
            for r in &findings {
                let Some(safety) = r.fix.filter(|&a| wanted(a)) else { continue };
                if found.iter().any(|c| c.line == r.line && c.codemod == r.codemod) {
                    continue;
                }
                found.push(Candidate {
                    file: self.files.len(),
                    line: r.line,
                    codemod: r.codemod,
                    message: r.message.clone(),
                    title: r.fix_title.clone().unwrap_or_default(),
                    safety,
                    report: r.clone(),
                });
            }
            if found.is_empty() {
                continue;
            }
            let Ok(rel) = canonical(&path).strip_prefix(&tree.root).map(Path::to_path_buf) else {
                bail!("{}: outside the tree the tests run in ({})", path.display(), tree.root.display());
            };
            self.files.push(File { path, rel, bytes, fs });
            self.candidates.extend(found);
        }
        Ok(())
    }

    /// `file`'s bytes with the fixes of `set` that belong to it (its original bytes when none do).
    fn fixed(&self, file: usize, set: &[usize]) -> Result<Vec<u8>> {
        let f = &self.files[file];
        let keep: Vec<(usize, &str)> =
            set.iter().map(|&i| &self.candidates[i]).filter(|c| c.file == file).map(|c| (c.line, c.codemod)).collect();
        if keep.is_empty() {
            return Ok(f.bytes.clone());
        }
        let only = move |line: usize, codemod: &str| keep.iter().any(|&(l, c)| l == line && c == codemod);
        match self.engine.fixed(&f.path, &f.bytes, &f.fs, &only) {
            Ok(fixed) => Ok(fixed.unwrap_or_else(|| f.bytes.clone())),
            Err(reason) => bail!("{}: {reason}", f.path.display()),
        }
    }

    /// Runs each set on its own copy (1..), at the same time; their results in order. `traced`: the first set's
    /// run records evidence (`self.after`).
    fn trials(&mut self, sets: &[Vec<usize>], traced: bool) -> Result<Vec<Results>, Stop> {
        let recorder = if traced { Some(self.recorder(1, false)?) } else { None };
        let env = match &recorder {
            Some(r) => r.env(TRACE_FRAMES)?,
            None => Vec::new(),
        };
        let mut contents = Vec::with_capacity(sets.len());
        for set in sets {
            let files = (0..self.files.len()).map(|f| self.fixed(f, set)).collect::<Result<Vec<_>>>()?;
            contents.push(files);
        }
        self.runs += sets.len();
        let (files, copies, cwd, opts) = (&self.files, &self.copies, &self.cwd, self.opts);
        let ran: Vec<Result<command::Ran>> = std::thread::scope(|scope| {
            let handles: Vec<_> = contents
                .iter()
                .enumerate()
                .map(|(i, bytes)| {
                    let copy = &copies[1 + i];
                    let env = if i == 0 { env.clone() } else { Vec::new() };
                    scope.spawn(move || {
                        for (f, b) in files.iter().zip(bytes) {
                            copy.write(&f.rel, b)?;
                        }
                        let place = Place { root: &copy.root, cwd: copy.root.join(cwd), scratch: &copy.scratch, env };
                        command::run(&opts.command, &place, opts.timeout)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a test run panicked"))))
                .collect()
        });
        let mut out = Vec::with_capacity(ran.len());
        for (i, r) in ran.into_iter().enumerate() {
            let r = r?;
            if r.ended == Ended::Interrupted {
                break;
            }
            if let (0, Some(recorder)) = (i, &recorder) {
                self.after = Some((sets[0].clone(), self.evidence(recorder, &r)));
            }
            out.push(Results::read(&r));
        }
        if let Some(signal) = interrupt::received() {
            return Err(Stop::Signal(Stopped(signal)));
        }
        Ok(out)
    }

    /// One run of the whole kept set, recording evidence.
    fn trial(&mut self, set: &[usize]) -> Result<Results, Stop> {
        Ok(self.trials(&[set.to_vec()], true)?.remove(0))
    }

    /// A recording for a run in copy `copy`, of the candidates' files there; with `targets`, the caches and defaults of the
    /// candidates are measured (at their lines in the original text: the baseline's).
    fn recorder(&self, copy: usize, targets: bool) -> Result<trace::Recorder> {
        let root = canonical(&self.copies[copy].root);
        let mut findings = Vec::new();
        for c in self.candidates.iter().filter(|_| targets) {
            let file = &self.files[c.file];
            let Ok(text) = std::str::from_utf8(&file.bytes) else { continue };
            if let Some(target) = trace::targets::locate(text, c.report.line, c.report.col) {
                findings.push(trace::Finding {
                    path: root.join(&file.rel),
                    line: c.report.line,
                    codemod: c.codemod,
                    target,
                });
            }
        }
        // Only the candidates' files: the bootstrap watches the classes defined under its roots for cycle garbage,
        // which over a whole tree (the standard library) costs far more than the tests themselves.
        let mut roots: Vec<PathBuf> = self.candidates.iter().map(|c| root.join(&self.files[c.file].rel)).collect();
        roots.dedup();
        trace::Recorder::new(&roots, &findings)
    }

    /// The evidence a traced run recorded (empty when it cannot be read).
    fn evidence(&self, recorder: &trace::Recorder, ran: &command::Ran) -> Evidence {
        let exit_code = match ran.ended {
            Ended::Exited(code) => code,
            _ => 1,
        };
        let run = trace::merge::Run { command: vec![self.opts.command.clone()], exit_code, duration_s: 0.0 };
        evidence::parse(&recorder.evidence(&run).to_string()).unwrap_or_default()
    }

    fn broken(&self, r: &Results) -> Vec<Broken> {
        results::broken(self.baseline.as_ref().expect("baseline first"), r, &self.flaky)
    }

    /// Steps 2 and 3 of the header.
    fn bisect(&mut self, say: &impl Fn(String)) -> Result<Decided, Stop> {
        let recorder = self.recorder(0, true)?;
        let env = recorder.env(TRACE_FRAMES)?;
        let copy = &self.copies[0];
        let place = Place { root: &copy.root, cwd: copy.root.join(&self.cwd), scratch: &copy.scratch, env };
        let ran = command::run(&self.opts.command, &place, self.opts.timeout)?;
        self.runs += 1;
        if let (Ended::Interrupted, Some(signal)) = (&ran.ended, interrupt::received()) {
            return Err(Stop::Signal(Stopped(signal)));
        }
        self.before = Some(self.evidence(&recorder, &ran));
        let baseline = Results::read(&ran);
        say(format!("before the fixes: {}", baseline.describe()));
        if !baseline.passed() && !baseline.tests.iter().any(|(_, e)| e.is_none()) {
            return Err(Stop::Error(anyhow::anyhow!(
                "verify: `{}` fails before any fix ({}: {}) and names no test that passes: nothing to verify \
                 against; nothing written",
                self.opts.command,
                baseline.describe(),
                baseline.last_line
            )));
        }
        if !baseline.passed() {
            say("the command fails before the fixes: verifying against the tests that pass".to_string());
        }
        self.baseline = Some(baseline);
        let mut kept: Vec<usize> = (0..self.candidates.len()).collect();
        let mut dropped = Vec::new();
        let mut rounds = 0;
        // The kept set passed its last run (an empty set is the baseline).
        let mut settled = false;
        while !kept.is_empty() && rounds <= 2 * self.candidates.len() + 4 {
            rounds += 1;
            let first = self.trial(&kept)?;
            let broke = self.broken(&first);
            if broke.is_empty() {
                settled = true;
                break;
            }
            // Does it fail again? What does not is flaky.
            let second = self.trials(std::slice::from_ref(&kept), false)?.remove(0);
            let again = self.broken(&second);
            let repeated: Vec<Broken> =
                broke.iter().filter(|b| again.iter().any(|a| a.test == b.test)).cloned().collect();
            for b in broke.iter().chain(&again).filter(|b| !repeated.iter().any(|r| r.test == b.test)) {
                if self.flaky.insert(b.test.clone()) {
                    say(format!("{} is flaky: it failed once and not on a rerun of the same fixes", b.test));
                }
            }
            if repeated.is_empty() {
                continue;
            }
            say(format!(
                "with {}: {} broke ({}); bisecting",
                fixes(kept.len()),
                plural(repeated.len(), "test"),
                repeated.iter().map(|b| b.test.as_str()).collect::<Vec<_>>().join(", ")
            ));
            let (culprit, why) = self.culprit(&kept, repeated)?;
            let c = &self.candidates[culprit];
            say(format!(
                "{}:{}: {} fix dropped: it breaks {}",
                display_path(&self.files[c.file].path),
                c.line,
                c.codemod,
                why.test
            ));
            kept.retain(|&i| i != culprit);
            dropped.push((culprit, why));
        }
        if !settled && !kept.is_empty() {
            // Failures that neither repeat twice nor go away: no set was seen passing, so none is written.
            return Err(Stop::Error(anyhow::anyhow!(
                "verify: the tests kept failing in ways that did not repeat ({} runs); no set of fixes was seen \
                 passing; nothing written",
                self.runs
            )));
        }
        Ok(Decided { kept, dropped })
    }

    /// The fix of `kept` that breaks a test: by file, then by finding (see the header), with the test it breaks.
    fn culprit(&mut self, kept: &[usize], known: Vec<Broken>) -> Result<(usize, Broken), Stop> {
        let mut files: Vec<usize> = kept.iter().map(|&i| self.candidates[i].file).collect();
        files.dedup();
        let of_files = |v: &Verifier, k: usize| -> Vec<usize> {
            kept.iter().copied().filter(|&i| files[..k].contains(&v.candidates[i].file)).collect()
        };
        let (k, broke) = self.search(files.len(), known, &of_files)?;
        let base = of_files(self, k - 1);
        let in_file: Vec<usize> = kept.iter().copied().filter(|&i| self.candidates[i].file == files[k - 1]).collect();
        let with = |_: &Verifier, n: usize| -> Vec<usize> {
            let mut set = base.clone();
            set.extend(&in_file[..n]);
            set.sort_unstable();
            set
        };
        let (n, broke) = self.search(in_file.len(), broke, &with)?;
        Ok((in_file[n - 1], broke.into_iter().next().expect("a failing set breaks a test")))
    }

    /// The smallest `k` in 1..=n whose set (`set(k)`) breaks one of the tests in `known`, given that `set(n)` breaks
    /// them and `set(0)` breaks nothing; with it, which of them `set(k)` breaks. Tries up to `jobs` cut points per step.
    fn search(
        &mut self,
        n: usize,
        known: Vec<Broken>,
        set: &dyn Fn(&Verifier, usize) -> Vec<usize>,
    ) -> Result<(usize, Vec<Broken>), Stop> {
        // Only the tests that failed again on the rerun count: another test failing in one step (a flaky one seen
        // for the first time) must not move the cut and blame a fix that breaks nothing. A fix that breaks another
        // test is still found by the next round of the outer loop.
        let names: Vec<String> = known.iter().map(|b| b.test.clone()).collect();
        let (mut lo, mut hi, mut hi_broke) = (0, n, known);
        while hi - lo > 1 {
            let m = self.opts.jobs.min(hi - lo - 1);
            let points: Vec<usize> = (1..=m).map(|t| lo + t * (hi - lo) / (m + 1)).collect();
            let sets: Vec<Vec<usize>> = points.iter().map(|&p| set(self, p)).collect();
            let results = self.trials(&sets, false)?;
            for (&p, r) in points.iter().zip(&results) {
                let broke: Vec<Broken> = self.broken(r).into_iter().filter(|b| names.contains(&b.test)).collect();
                if broke.is_empty() {
                    lo = p;
                } else {
                    (hi, hi_broke) = (p, broke);
                    break;
                }
            }
        }
        Ok((hi, hi_broke))
    }

    /// What the evidence of the baseline and of the last run of the kept set says of each kept fix: **verified**
    /// when its finding was confirmed before and its file ran after with nothing pointing at it, **not exercised**
    /// when its file ran in neither, else **passes tests** (its code ran, no leak shown, or the leak still showed:
    /// said after the label). Caches and defaults are measured before only (their objects are what the fix
    /// replaces); after, a finding is looked for at its line in the fixed text.
    fn exercised(&self, kept: &[usize]) -> Result<Vec<(Exercise, String)>> {
        let (Some(before), Some((set, after))) = (&self.before, &self.after) else {
            return Ok(kept.iter().map(|_| (Exercise::NotExercised, String::new())).collect());
        };
        let none = Evidence::default();
        let after = if set == kept { after } else { &none };
        let mut out = Vec::new();
        for &i in kept {
            let c = &self.candidates[i];
            let file = &self.files[c.file];
            let maxsize = file.fs.codemod_settings.cache_maxsize;
            let judge = |ev: &Evidence, root: &Path, report: &Report| {
                let path = root.join(&file.rel);
                let reports = [report];
                let files = [evidence::FileFindings { path: &path, reports: &reports, cache_maxsize: maxsize }];
                evidence::judge(ev, &files).0.remove(0).remove(0)
            };
            let was = judge(before, &self.copies_roots[0], &c.report);
            let fixed = self.fixed(c.file, kept)?;
            let mut moved = c.report.clone();
            let (old, new) = (String::from_utf8_lossy(&file.bytes), String::from_utf8_lossy(&fixed));
            moved.line = new_line(&old, &new, c.report.line);
            moved.end_line = new_line(&old, &new, c.report.end_line).max(moved.line);
            let is = judge(after, &self.copies_roots[1], &moved);
            out.push(match (was.status, is.status) {
                (Status::Confirmed, Status::Clean) => {
                    (Exercise::Verified, format!(" ({} before the fix, none after)", was.summary))
                }
                (Status::NotRun, Status::NotRun) => (Exercise::NotExercised, String::new()),
                (_, Status::Confirmed) => (Exercise::PassesTests, format!(" (the leak still shows: {})", is.summary)),
                _ => (Exercise::PassesTests, String::new()),
            });
        }
        Ok(out)
    }

    /// Step 4: the report, then the kept fixes written (or shown).
    fn finish(&self, decided: Decided, start: Instant, out: &mut impl Write) -> Result<u8> {
        let Decided { kept, dropped } = decided;
        let safety = |c: &Candidate| if c.safety == Applicability::Safe { "safe" } else { "unsafe" };
        let at = |c: &Candidate| format!("{}:{}", display_path(&self.files[c.file].path), c.line);
        let mut report = String::new();
        let exercised = self.exercised(&kept)?;
        let mut counts = [0; 3];
        for (&i, (how, why)) in kept.iter().zip(&exercised) {
            let c = &self.candidates[i];
            counts[*how as usize] += 1;
            report.push_str(&format!(
                "kept     {}: {}: {} [{} fix: {}]: {}{why}\n",
                at(c),
                c.codemod,
                c.message,
                safety(c),
                c.title,
                how.as_str()
            ));
        }
        for (i, why) in &dropped {
            let c = &self.candidates[*i];
            report.push_str(&format!(
                "dropped  {}: {}: {} [{} fix: {}]: breaks {}: {}\n",
                at(c),
                c.codemod,
                c.message,
                safety(c),
                c.title,
                why.test,
                why.error
            ));
        }
        for test in &self.flaky {
            report.push_str(&format!("flaky    {test}: failed once, passed on a rerun of the same fixes\n"));
        }
        eprint!("{report}");
        let mut errors = 0;
        let mut written = 0;
        let mut changed_files = 0;
        for (f, file) in self.files.iter().enumerate() {
            let new = self.fixed(f, &kept)?;
            if new == file.bytes {
                continue;
            }
            changed_files += 1;
            match self.settings.mode {
                Mode::DryRun => {
                    let old = String::from_utf8_lossy(&file.bytes);
                    let new = String::from_utf8_lossy(&new);
                    out.write_all(self.engine.diff(&file.path, &old, &new).as_bytes()).context(STDOUT)?;
                }
                _ => {
                    if let Some(signal) = interrupt::received() {
                        eprintln!("pyfix: verify: interrupted by {}: {written} files written", signal.name());
                        return Ok(signal.exit_code());
                    }
                    match write::replace(&file.path, &file.bytes, &new) {
                        Ok(()) => written += 1,
                        Err(reason) => {
                            eprintln!("pyfix: {}: {reason}", display_path(&file.path));
                            errors += 1;
                        }
                    }
                }
            }
        }
        out.flush().context(STDOUT)?;
        let verb = if self.settings.mode == Mode::DryRun { "would write" } else { "wrote" };
        let flaky =
            if self.flaky.is_empty() { String::new() } else { format!("; {}", plural(self.flaky.len(), "flaky test")) };
        eprintln!(
            "Verified {} with `{}` ({}, {:.1} s): kept {} ({} verified, {} passes tests, {} not exercised), dropped \
             {}{flaky}; {verb} {}",
            fixes(self.candidates.len()),
            self.opts.command,
            plural(self.runs, "run"),
            start.elapsed().as_secs_f64(),
            kept.len(),
            counts[0],
            counts[1],
            counts[2],
            dropped.len(),
            plural(changed_files, "file")
        );
        Ok(if errors > 0 {
            2
        } else if dropped.is_empty() {
            0
        } else {
            1
        })
    }
}

fn fixes(n: usize) -> String {
    if n == 1 {
        "1 fix".to_string()
    } else {
        format!("{n} fixes")
    }
}

/// What the runtime evidence says of a kept fix.
#[derive(Clone, Copy)]
enum Exercise {
    Verified,
    PassesTests,
    NotExercised,
}

impl Exercise {
    fn as_str(self) -> &'static str {
        match self {
            Exercise::Verified => "verified",
            Exercise::PassesTests => "passes tests",
            Exercise::NotExercised => "not exercised",
        }
    }
}

/// The 1-based line of `new` that line `line` of `old` became (a changed line: the first of its replacement).
fn new_line(old: &str, new: &str, line: usize) -> usize {
    let diff = similar::TextDiff::from_lines(old, new);
    for op in diff.ops() {
        let (o, n) = (op.old_range(), op.new_range());
        if o.contains(&(line - 1)) {
            let within = if op.tag() == similar::DiffTag::Equal { line - 1 - o.start } else { 0 };
            return n.start + within + 1;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::new_line;

    #[test]
    fn a_line_moves_with_the_lines_a_fix_adds_above_it() {
        let old = "a\nf = open(p)\nx = f.read()\nf.close()\nz\n";
        let new = "import w\na\nwith open(p) as f:\n    x = f.read()\nz\n";
        assert_eq!(new_line(old, new, 1), 2);
        assert_eq!(new_line(old, new, 2), 3);
        assert_eq!(new_line(old, new, 5), 5);
    }
}
