//! Nothing is lost when several pyfix runs, an editor and the user touch one tree (issue 22): concurrent runs on one
//! tree and cache, a file changed between pyfix's read and its write, SIGINT/SIGTERM at random points of a bulk run,
//! every kind of corrupt cache entry, read-only files and directories, a full disk.
//! Races and write errors are played through test hooks the debug binary honours (`src/write.rs`: the
//! `PYFIX_TEST_*` variables); in a release test build (`cargo test --release`) those tests print `skipped:`.
//! The random tests print their seed; `PYFIX_TEST_SEED=<n>` replays one.

mod harness;

use harness::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn cache_file(dir: &Path) -> PathBuf {
    dir.join(format!(".pyfix_cache/pyfix-{}.json", env!("CARGO_PKG_VERSION")))
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.is_symlink() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The cache files a run may leave: the cache, its lock file, the `.gitignore`.
fn cache_files() -> BTreeSet<String> {
    let v = env!("CARGO_PKG_VERSION");
    [
        ".pyfix_cache/.gitignore".to_string(),
        format!(".pyfix_cache/pyfix-{v}.json"),
        format!(".pyfix_cache/pyfix-{v}.lock"),
    ]
    .into_iter()
    .collect()
}

/// Nothing but `expected` and the cache's own files below `dir`: no temporary file, in the tree or the cache.
#[track_caller]
fn assert_nothing_stray(dir: &Path, expected: &BTreeSet<String>) {
    let stray: Vec<String> =
        tree(dir).into_iter().filter(|f| !expected.contains(f) && !cache_files().contains(f)).collect();
    assert!(stray.is_empty(), "left behind: {stray:?}");
}

/// The cache file, if there is one, is whole: JSON with every entry's checksum right.
#[track_caller]
fn assert_cache_whole(dir: &Path) {
    let Ok(text) = std::fs::read_to_string(cache_file(dir)) else { return };
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("torn cache ({e}): {text}"));
    for (path, entry) in doc["files"].as_object().expect("files") {
        let sum = pyfix::cache::checksum(entry["key"].as_str().unwrap(), entry["result"].as_str().unwrap());
        assert_eq!(entry["sum"].as_str(), Some(sum.as_str()), "{path}: checksum");
    }
}

/// False (with a `skipped:` line) in a release test build, whose binary ignores the test hooks.
fn hooks_honoured(test: &str) -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: {test}: the PYFIX_TEST_* hooks work in debug builds only; run without --release");
    }
    cfg!(debug_assertions)
}

/// A small xorshift generator: no dependency, and a seed to print.
struct Rng(u64);

impl Rng {
    fn new(test: &str) -> Rng {
        let seed = std::env::var("PYFIX_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
        });
        eprintln!("{test}: PYFIX_TEST_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A generated tree: `n` files over a few packages, each kind of file in turn (safe fix, safe fix, no fix, clean).
/// (path, original, text after a fix run).
fn generated_tree(n: usize) -> Vec<(String, String, String)> {
    (0..n)
        .map(|i| {
            let path = format!("pkg{}/sub{}/m{i}.py", (i / 4) % 4, i % 3);
            let (before, after) = match i % 4 {
                0 => (BARE_OPEN, BARE_OPEN_FIXED),
                1 => (MUTABLE, MUTABLE_FIXED),
                2 => (NO_FIX, NO_FIX),
                _ => ("x = 1\n", "x = 1\n"),
            };
            // A comment makes every file's bytes (and cache key) its own.
            (path, format!("# module {i}\n{before}"), format!("# module {i}\n{after}"))
        })
        .collect()
}

/// Puts every file back to its original text (writes only those that are not).
fn write_tree(dir: &Path, files: &[(String, String, String)]) {
    for (path, before, _) in files {
        if std::fs::read(dir.join(path)).ok().as_deref() != Some(before.as_bytes()) {
            write(dir, path, before);
        }
    }
}

/// Each file holds its original or its fixed text, nothing else. Returns how many are fixed (and were not before).
#[track_caller]
fn assert_old_or_new(dir: &Path, files: &[(String, String, String)], context: &str) -> usize {
    let mut fixed = 0;
    for (path, before, after) in files {
        let now = read(dir, path);
        assert!(now == *before || now == *after, "{context}: {path} is neither old nor new:\n{now}");
        fixed += usize::from(now != *before);
    }
    fixed
}

fn python_compiles(dir: &Path) {
    let out = std::process::Command::new("python3")
        .args(["-m", "compileall", "-q", "-x", r"\.pyfix_cache", "."])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONPYCACHEPREFIX", std::env::temp_dir().join("pyfix-reliability-pycache"))
        .current_dir(dir)
        .output()
        .expect("python3 on PATH");
    assert!(out.status.success(), "a file does not compile:\n{}", String::from_utf8_lossy(&out.stdout));
}

// ---------------------------------------------------------------------------------------------------------------
// Concurrent runs

/// Four fix runs and a check run at once on one tree and one cache, many times. Each fixable file ends fixed (a run
/// that finds another run's fix already there takes it as done), no run reports an error, no temporary file is
/// left, the cache stays whole and holds every file (the runs merge their entries), and a later run trusts it.
/// (A user saving while runs go on is `a_file_changed_between_read_and_write_is_not_overwritten`.)
#[test]
fn concurrent_runs_on_one_tree_and_cache() {
    let tmp = tempdir();
    let dir = tmp.path();
    let files = generated_tree(24);
    let expected: BTreeSet<String> = files.iter().map(|(p, _, _)| p.clone()).collect();
    let fixable = files.iter().filter(|(_, b, a)| b != a).count();
    let mut rng = Rng::new("concurrent_runs_on_one_tree_and_cache");
    for round in 0..15 {
        write_tree(dir, &files);
        if round % 2 == 0 {
            let _ = std::fs::remove_dir_all(dir.join(".pyfix_cache"));
        }
        let mut children = Vec::new();
        // Each package fixed by two runs at once; each run saving its own part of the cache.
        let runs = [&["pkg0", "pkg1"][..], &["pkg1", "pkg2"], &["--check", "pkg3"], &["pkg2", "pkg0"], &["pkg3"]];
        for args in runs {
            children.push(command(dir, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap());
            // Starts a little apart or all at once.
            std::thread::sleep(Duration::from_millis(rng.below(8)));
        }
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("pyfix: ")).collect();
            assert_eq!(errors, Vec::<&str>::new(), "round {round}: {stderr}");
            assert_eq!(out.status.code(), Some(1), "round {round}: {stderr}");
        }
        assert_eq!(assert_old_or_new(dir, &files, &format!("round {round}")), fixable, "round {round}");
        assert_nothing_stray(dir, &expected);
        assert_cache_whole(dir);
        // The runs merged their entries: none was lost to another run's save.
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(cache_file(dir)).unwrap()).unwrap();
        for path in &expected {
            assert!(doc["files"].get(path.as_str()).is_some(), "round {round}: {path} is not in the cache");
        }
    }
    // A later run reads the cache without a note.
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(run.error_lines(), Vec::<&str>::new());
    python_compiles(dir);
}

// ---------------------------------------------------------------------------------------------------------------
// A file changed between read and write

/// A shell snippet for PYFIX_TEST_BEFORE_REPLACE that runs `action` on `$1` when it is `name`.
fn on(name: &str, action: &str) -> String {
    format!("case \"$1\" in */{name}) {action};; esac")
}

#[test]
fn a_file_changed_between_read_and_write_is_not_overwritten() {
    if !hooks_honoured("a_file_changed_between_read_and_write_is_not_overwritten") {
        return;
    }
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a.py", MUTABLE);
    write(dir, "b.py", MUTABLE);
    write(dir, "c.py", MUTABLE);
    write(dir, "real/d.py", MUTABLE);
    std::os::unix::fs::symlink("real/d.py", dir.join("d.py")).unwrap();
    let hook = [
        on("b.py", "printf '# saved by the editor\\n' >> \"$1\""),
        on("c.py", "rm \"$1\"; mkdir \"$1\""),
        on("d.py", "printf '# saved through the link\\n' >> \"$1\""),
    ]
    .join("; ");
    let run = pyfix_hooked(dir, &["--no-cache", "a.py", "b.py", "c.py", "d.py"], "PYFIX_TEST_BEFORE_REPLACE", &hook);
    run.code(2);
    assert_eq!(
        run.error_lines(),
        [
            "pyfix: b.py: changed on disk while pyfix ran; not rewritten (run pyfix again)",
            "pyfix: c.py: is a directory now; not rewritten",
            "pyfix: d.py: changed on disk while pyfix ran; not rewritten (run pyfix again)",
        ],
        "{run:?}"
    );
    assert_eq!(run.summary(), "Fixed 1 leak in 1 file; 3 errors (see above)");
    assert_eq!(read(dir, "a.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "b.py"), format!("{MUTABLE}# saved by the editor\n"));
    assert!(dir.join("c.py").is_dir());
    assert_eq!(read(dir, "real/d.py"), format!("{MUTABLE}# saved through the link\n"));
    assert!(std::fs::symlink_metadata(dir.join("d.py")).unwrap().file_type().is_symlink());
    let expected = ["a.py", "b.py", "d.py", "real/d.py"].map(String::from).into_iter().collect();
    assert_nothing_stray(dir, &expected);
    // The next run fixes what the user saved.
    pyfix(dir, &["a.py", "b.py", "d.py"]).code(0);
    assert_eq!(read(dir, "b.py"), format!("{MUTABLE_FIXED}# saved by the editor\n"));
}

fn pyfix_hooked(dir: &Path, args: &[&str], var: &str, value: &str) -> Run {
    let out = command(dir, args).env(var, value).output().expect("running pyfix");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    run
}

// ---------------------------------------------------------------------------------------------------------------
// Interrupted runs

/// SIGINT or SIGTERM at a random moment of a bulk fix run over a generated tree, hundreds of times: every file is
/// wholly old or wholly new, the summary counts exactly the files written, the exit code is 130 or 143 (or the
/// run's own when it finished first), no temporary file is left in the tree or the cache, and the cache stays
/// whole. Then a run to the end fixes everything and every file compiles.
#[test]
fn interrupted_runs_leave_every_file_old_or_new() {
    let tmp = tempdir();
    let dir = tmp.path();
    let files = generated_tree(32);
    let expected: BTreeSet<String> = files.iter().map(|(p, _, _)| p.clone()).collect();
    let fixable = files.iter().filter(|(_, b, a)| b != a).count();
    let mut rng = Rng::new("interrupted_runs_leave_every_file_old_or_new");
    // How long a whole run takes here, with an empty cache and with a warm one (a run from the cache only writes
    // the files): signals land from before the start to after the end of the kind of run they interrupt.
    let timed = |args: &[&str]| {
        write_tree(dir, &files);
        let start = Instant::now();
        pyfix(dir, args).code(1);
        (start.elapsed().as_micros() as u64 * 5 / 4).clamp(20_000, 400_000)
    };
    let cold = timed(&["--no-cache"]);
    timed(&[]);
    let warm = timed(&[]);
    let (mut interrupted, mut finished, mut before_start) = (0, 0, 0);
    let started = Instant::now();
    let mut round = 0;
    // Hundreds of runs, within a bounded time on a busy machine.
    while round < 200 && (round < 120 || started.elapsed() < Duration::from_secs(30)) {
        round += 1;
        write_tree(dir, &files);
        let span = if rng.below(3) == 0 {
            let _ = std::fs::remove_dir_all(dir.join(".pyfix_cache"));
            cold
        } else {
            warm
        };
        let (signal, code) = if rng.below(2) == 0 { ("INT", 130) } else { ("TERM", 143) };
        let child = command(dir, &[]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        // (Sent to a process that has already ended but not been waited for, it does nothing.)
        std::process::Command::new("kill").arg(format!("-{signal}")).arg(child.id().to_string()).status().unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let context = format!("round {round}, SIG{signal}: {:?}\n{stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{context}");
        let written = assert_old_or_new(dir, &files, &context);
        assert_nothing_stray(dir, &expected);
        assert_cache_whole(dir);
        match out.status.code() {
            // Killed before it could take the signal: it had written nothing.
            None => {
                before_start += 1;
                assert_eq!(written, 0, "{context}");
            }
            Some(c) if c == code => {
                interrupted += 1;
                let summary = stderr.lines().last().unwrap_or("");
                assert!(summary.contains(&format!("interrupted by SIG{signal}")), "{context}");
                assert_eq!(fixed_files(summary), written, "the summary does not count what was written: {context}");
                assert_eq!(stderr.lines().filter(|l| l.starts_with("pyfix: ")).count(), 0, "{context}");
            }
            Some(1) => {
                finished += 1;
                assert_eq!(written, fixable, "{context}");
            }
            Some(_) => panic!("unexpected exit: {context}"),
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{round} runs in {elapsed:?}, signals within {cold} µs (empty cache) or {warm} µs (warm): {interrupted} \
         interrupted, {finished} finished \
         first, {before_start} before the handler"
    );
    assert!(interrupted >= round / 4, "too few runs were interrupted mid-way to prove anything");
    let run = pyfix(dir, &[]);
    run.code(1);
    assert_eq!(assert_old_or_new(dir, &files, "last run"), fixable);
    assert_nothing_stray(dir, &expected);
    python_compiles(dir);
}

/// "Fixed 3 leaks in 3 files; ..." -> 3; a summary with no fix -> 0.
fn fixed_files(summary: &str) -> usize {
    let Some(rest) = summary.strip_prefix("Fixed ") else { return 0 };
    let files = rest.split(" in ").nth(1).unwrap_or("");
    files.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// A check run takes the signal too: its summary says so and the exit code is 130.
#[test]
fn an_interrupted_check_run_says_so() {
    let tmp = tempdir();
    let dir = tmp.path();
    write_tree(dir, &generated_tree(400));
    // Late enough for the handler to be in place, early enough not to find the run done: tried with longer waits
    // on a slow machine, shorter ones on a fast one.
    for wait in [40, 10, 100, 250] {
        let child =
            command(dir, &["--check", "--no-cache"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            None | Some(1) => continue,
            code => assert_eq!(code, Some(130), "{stderr}"),
        }
        let summary = stderr.lines().last().unwrap();
        assert!(summary.contains("; interrupted by SIGINT"), "{summary}");
        // The signal can land once every file is done, before the run ends: then nothing is left to count.
        if summary.ends_with("; interrupted by SIGINT") {
            continue;
        }
        assert!(summary.contains("; interrupted by SIGINT, ") && summary.ends_with(" not processed"), "{summary}");
        return;
    }
    eprintln!("skipped: no signal landed while the check ran (before the handler or after the end)");
}

// ---------------------------------------------------------------------------------------------------------------
// Corrupt cache entries

/// Runs `--check` over the sample twice after `spoil` has had its way with the cache file: the first run must
/// give what a run without cache gives, with `note` (or no note) on stderr; the second must find the cache
/// rewritten whole (no note) and give the same again.
#[track_caller]
fn spoiled_cache(spoil: impl Fn(&str) -> String, note: Option<&str>) {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", NO_FIX);
    write(dir, "c.py", MUTABLE);
    let expected = pyfix(dir, &["--check", "--no-cache"]);
    pyfix(dir, &["--check"]).code(1);
    let text = std::fs::read_to_string(cache_file(dir)).unwrap();
    std::fs::write(cache_file(dir), spoil(&text)).unwrap();
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(run.stdout, expected.stdout, "a spoiled entry changed the result");
    match note {
        Some(note) => assert_eq!(run.error_lines(), [format!("pyfix: {}: {note}", cache_file(dir).display())]),
        None => assert_eq!(run.error_lines(), Vec::<String>::new()),
    }
    assert_cache_whole(dir);
    let again = pyfix(dir, &["--check"]);
    assert_eq!(again.stdout, expected.stdout);
    assert_eq!(again.error_lines(), Vec::<&str>::new(), "the cache was not rewritten");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(cache_file(dir)).unwrap()).unwrap();
    assert_eq!(doc["files"].as_object().unwrap().len(), 3, "{doc}");
}

/// Applies `f` to b.py's entry.
fn on_entry(text: &str, f: impl Fn(&mut serde_json::Value)) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    f(&mut doc["files"]["b.py"]);
    doc.to_string()
}

const MESSAGE: &str = "escapes: it is yielded";

#[test]
fn a_truncated_cache_is_dropped() {
    spoiled_cache(|t| t[..t.len() / 2].to_string(), Some("cache is corrupt; ignoring it (it will be rewritten)"));
    spoiled_cache(|_| String::new(), Some("cache is corrupt; ignoring it (it will be rewritten)"));
}

#[test]
fn an_entry_whose_checksum_does_not_match_is_dropped() {
    let note = Some("1 entry is corrupt; ignoring it (rewritten by this run)");
    // Flipped text (a torn write, a disk error): the result would differ if it were trusted.
    spoiled_cache(|t| t.replace(MESSAGE, "escapes: it is YIELDED"), note);
    // A checksum that is not one.
    spoiled_cache(|t| on_entry(t, |e| e["sum"] = "0000".into()), note);
    // A field missing.
    spoiled_cache(|t| on_entry(t, |e| drop(e.as_object_mut().unwrap().remove("sum"))), note);
    spoiled_cache(|t| on_entry(t, |e| drop(e.as_object_mut().unwrap().remove("key"))), note);
    spoiled_cache(|t| on_entry(t, |e| *e = serde_json::Value::Null), note);
}

#[test]
fn an_entry_or_file_of_another_format_is_dropped_without_a_word() {
    spoiled_cache(|t| on_entry(t, |e| e["v"] = 3.into()), None);
    spoiled_cache(|t| t.replacen("\"format\":4", "\"format\":3", 1), None);
}

/// An entry with a right checksum but a result this pyfix cannot read (a codemod it does not know) is not used.
#[test]
fn an_entry_this_pyfix_cannot_read_is_dropped() {
    spoiled_cache(
        |t| {
            on_entry(t, |e| {
                // The result is JSON text in a string.
                let result = e["result"].as_str().unwrap().replace("\"bare-open\"", "\"no-such-codemod\"");
                e["sum"] = pyfix::cache::checksum(e["key"].as_str().unwrap(), &result).into();
                e["result"] = result.into();
            })
        },
        None,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Write errors: read-only file and directory, permission denied, full disk

/// A write that fails with `errno` for the file whose path contains `target`.
fn failing(dir: &Path, args: &[&str], errno: &str, target: &str) -> Run {
    pyfix_hooked(dir, args, "PYFIX_TEST_FAIL_WRITE", &format!("{errno}:{target}"))
}

#[test]
fn a_full_disk_leaves_the_file_as_it_was() {
    if !hooks_honoured("a_full_disk_leaves_the_file_as_it_was") {
        return;
    }
    let tmp = tempdir();
    let dir = tmp.path();
    for name in ["a.py", "b.py", "c.py"] {
        write(dir, name, MUTABLE);
    }
    for (errno, message) in [
        ("ENOSPC", "cannot write: no space left on device"),
        ("EDQUOT", "cannot write: disk quota exceeded"),
        ("EACCES", "cannot write: permission denied"),
        ("EIO", "cannot write: input/output error"),
    ] {
        write(dir, "b.py", MUTABLE);
        let run = failing(dir, &["--no-cache", "."], errno, "b.py");
        run.code(2);
        assert_eq!(run.error_lines(), [format!("pyfix: b.py: {message}")], "{run:?}");
        assert_eq!(read(dir, "b.py"), MUTABLE, "{errno}");
        assert_nothing_stray(dir, &["a.py", "b.py", "c.py"].map(String::from).into_iter().collect());
    }
    assert_eq!(read(dir, "a.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "c.py"), MUTABLE_FIXED);
}

/// A cache location that is full or read-only: no cache, one note, the run's results unchanged, the old cache
/// file (if any) as it was, no temporary file left.
#[test]
fn a_full_or_read_only_cache_location_is_one_note() {
    if !hooks_honoured("a_full_or_read_only_cache_location_is_one_note") {
        return;
    }
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", NO_FIX);
    let expected = pyfix(dir, &["--check", "--no-cache"]);
    for (errno, why) in [("ENOSPC", "no space left on device"), ("EROFS", "read-only file system")] {
        // A file the cache has no result for (a comment added: the same findings): the run has something to write.
        // A run that only used the cache leaves a whole cache file as it is.
        write(dir, "b.py", format!("{NO_FIX}# {errno}\n"));
        let before = std::fs::read(cache_file(dir)).ok();
        let run = failing(dir, &["--check"], errno, ".pyfix_cache");
        run.code(1);
        assert_eq!(run.stdout, expected.stdout);
        let cache_dir = dir.join(".pyfix_cache");
        assert_eq!(
            run.error_lines(),
            [format!("pyfix: {}: cannot write the cache ({why}); continuing without it", cache_dir.display())],
            "{run:?}"
        );
        assert_eq!(std::fs::read(cache_file(dir)).ok(), before, "{errno}: the old cache changed");
        assert_nothing_stray(dir, &["a.py", "b.py"].map(String::from).into_iter().collect());
        // Once, then with a cache there: the second round must leave it whole.
        pyfix(dir, &["--check"]).code(1);
    }
}

/// True when this process may write where the modes say it may not (root): then the real thing cannot be shown.
fn permissions_are_not_enforced(dir: &Path, what: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe-dir");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = std::fs::write(probe.join("x"), "").is_ok();
    let _ = std::fs::remove_file(probe.join("x"));
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir(&probe).unwrap();
    if writable {
        eprintln!(
            "skipped: {what}: running as root, where a read-only directory can be written; the simulated errors of \
             a_full_disk_leaves_the_file_as_it_was and a_full_or_read_only_cache_location_is_one_note stand in"
        );
    }
    writable
}

/// A writable file in a directory that is not: pyfix cannot put its temporary file there, says so, and goes on.
#[test]
fn a_read_only_directory_leaves_its_files_as_they_were() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempdir();
    let dir = tmp.path();
    if permissions_are_not_enforced(dir, "a_read_only_directory_leaves_its_files_as_they_were") {
        return;
    }
    write(dir, "ro/a.py", MUTABLE);
    write(dir, "b.py", MUTABLE);
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = pyfix(dir, &[]);
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o755)).unwrap();
    run.code(2);
    assert_eq!(
        run.error_lines(),
        ["pyfix: ro/a.py: cannot create a temporary file beside it: permission denied"],
        "{run:?}"
    );
    assert_eq!(read(dir, "ro/a.py"), MUTABLE);
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED);
}

/// A cache directory that cannot be written: one note, and the results of a run without the cache.
#[test]
fn a_read_only_cache_directory_is_one_note() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempdir();
    let dir = tmp.path();
    if permissions_are_not_enforced(dir, "a_read_only_cache_directory_is_one_note") {
        return;
    }
    write(dir, "a.py", BARE_OPEN);
    std::fs::create_dir(dir.join(".pyfix_cache")).unwrap();
    std::fs::set_permissions(dir.join(".pyfix_cache"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = pyfix(dir, &["--check"]);
    std::fs::set_permissions(dir.join(".pyfix_cache"), std::fs::Permissions::from_mode(0o755)).unwrap();
    run.code(1);
    assert_eq!(run.error_lines().len(), 1, "{run:?}");
    assert!(run.error_lines()[0].ends_with("(permission denied); continuing without it"), "{run:?}");
}
