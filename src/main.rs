//! Parses the command line, calls `pyfix::run`, and turns the result into an exit code; sets the global allocator.

use std::process::ExitCode;

use clap::Parser;

// `RUSTFLAGS="--cfg pyfix_sysalloc"` builds with the system allocator, whose calls heap profilers (heaptrack) see.
#[cfg(all(not(target_env = "msvc"), not(pyfix_sysalloc)))]
#[global_allocator]
static GLOBAL: pyfix::arena::Arena<tikv_jemallocator::Jemalloc> = pyfix::arena::Arena(tikv_jemallocator::Jemalloc);

/// jemalloc's options (its `malloc_conf`; `_RJEM_MALLOC_CONF` in the environment still overrides them). By default
/// freed pages stay resident for 10 s, longer than a run: each file's tree, freed when the file is done, would
/// keep its pages while the next thread's file is parsed. Handed back after 0.5 s instead, at once once decayed
/// (`muzzy`): 4-5 MiB less peak memory over the corpus, CPU within noise (bench/speed.sh). One arena for every thread
/// (jemalloc's default is four per core, a thread taking the next): pages one thread freed serve the next thread's
/// file, and the walker's and the project reader's threads leave no half-used arena behind: 2-3.5 MiB less peak
/// memory over the corpus on one and two threads, CPU within noise (each thread's cache still serves most calls).
#[cfg(all(not(target_env = "msvc"), not(pyfix_sysalloc)))]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: Option<&'static [u8; 46]> = Some(b"dirty_decay_ms:500,muzzy_decay_ms:0,narenas:1\0");

fn main() -> ExitCode {
    let cli = match pyfix::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = err.print();
                return ExitCode::SUCCESS;
            }
            // An empty argument (`pyfix --check "$DIR"` with DIR unset): say that, not clap's "a value is required".
            if err.kind() == ErrorKind::InvalidValue && std::env::args_os().skip(1).any(|a| a.is_empty()) {
                eprintln!(
                    "pyfix: an empty argument is not a path (hint: is a shell variable in the command unset? `.` is \
                     the current directory)"
                );
                return ExitCode::from(2);
            }
            // One line: clap's error and its tip, if any.
            let rendered = err.render().to_string();
            let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
            let mut first = lines.next().unwrap_or("bad arguments").trim_start_matches("error: ").to_string();
            // "the following required arguments were not provided:" lists them on the lines below: keep them.
            if first.ends_with(':') {
                let listed: Vec<&str> =
                    lines.clone().take_while(|l| !l.starts_with("Usage:") && !l.starts_with("tip:")).collect();
                first = format!("{first} {}", listed.join(", "));
            }
            let tip = lines.find(|l| l.starts_with("tip:")).map(|t| format!("; {t}")).unwrap_or_default();
            eprintln!("pyfix: {first}{tip} (see `pyfix --help`)");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Some(pyfix::cli::Command::Server) => pyfix::server::run(),
        Some(pyfix::cli::Command::Trace(ref args)) => pyfix::trace(args),
        None => {
            // The arena serves the runs over files (a file's tree is let go at once, as a whole), not the language
            // server nor `trace`, which keep to the global allocator's ordinary ways.
            #[cfg(all(not(target_env = "msvc"), not(pyfix_sysalloc)))]
            GLOBAL.enable();
            pyfix::run(&cli)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A closed pipe (`pyfix --check | head`) is not an error.
            if err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("pyfix: {err:#}");
            ExitCode::from(2)
        }
    }
}
