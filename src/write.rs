//! Writing files so that nothing is lost when several pyfix runs, an editor and the user touch one tree: every
//! write goes to a temporary file beside the target and is renamed over it (a reader, or a kill, sees the old file
//! or the new one, never a mix); a source file is replaced only if its bytes are still those pyfix read, checked
//! right before the rename; its mode and, where permitted, its owner are kept; a symlink stays a link and its target
//! is rewritten. An error leaves the original as it was and the temporary file removed.
//! Called by `lib.rs` (source files) and `cache.rs` (the cache); nothing else writes files.
//!
//! Test hooks, honoured only by debug builds (the binary the tests run), never by a release build:
//! - `PYFIX_TEST_BEFORE_REPLACE=<shell command>`: run with `sh -c` and the target's path as `$1` after the new text
//!   is in the temporary file and before the final check, to play a racing editor;
//! - `PYFIX_TEST_FAIL_WRITE=<ERRNO>:<text>` (ENOSPC, EACCES, EROFS, EDQUOT, EIO): writing a file whose path contains
//!   `<text>` fails with that error after half the bytes, as a full disk does.

use std::io::Write;
use std::path::Path;

use crate::discovery::describe_io;

/// Replaces `path` (a symlink's target) with `new` if it still holds `original`. `Err`: why not, for the user; the
/// file is then untouched. A file that already holds `new` (another run fixed it) is left as it is.
pub fn replace(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    let target = std::fs::canonicalize(path).map_err(|e| format!("cannot resolve path: {}", describe_io(&e)))?;
    let meta = std::fs::metadata(&target).map_err(|e| format!("cannot write: {}", describe_io(&e)))?;
    if meta.is_dir() {
        return Err(NOW_A_DIRECTORY.into());
    }
    if meta.permissions().readonly() {
        return Err("read-only file; not rewritten (make it writable to let pyfix fix it)".into());
    }
    if !unchanged(&target, original, new)? {
        return Ok(());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp =
        temporary(dir).map_err(|e| format!("cannot create a temporary file beside it: {}", describe_io(&e)))?;
    write_all(tmp.as_file_mut(), &target, new)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("cannot write: {}", describe_io(&e)))?;
    keep_owner(tmp.as_file(), &meta);
    std::fs::set_permissions(tmp.path(), meta.permissions())
        .map_err(|e| format!("cannot keep permissions: {}", describe_io(&e)))?;
    hook::before_replace(&target);
    // The last look, as close to the rename as it can be: an edit saved after it and before the rename (a few
    // system calls) is the one race left; editors and other runs that save before it are never overwritten.
    if !unchanged(&target, original, new)? {
        return Ok(());
    }
    tmp.persist(&target).map_err(|e| format!("cannot replace the file: {}", describe_io(&e.error)))?;
    Ok(())
}

const NOW_A_DIRECTORY: &str = "is a directory now; not rewritten";

/// True when `target` still holds `original`; false when it already holds `new`; `Err` when it holds anything else
/// or is gone.
fn unchanged(target: &Path, original: &[u8], new: &[u8]) -> Result<bool, String> {
    let now = match std::fs::read(target) {
        Ok(now) => now,
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => return Err(NOW_A_DIRECTORY.into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("deleted while pyfix ran; not rewritten".into());
        }
        Err(e) => return Err(format!("cannot re-read before writing: {}", describe_io(&e))),
    };
    if now == original {
        Ok(true)
    } else if now == new {
        Ok(false)
    } else {
        Err("changed on disk while pyfix ran; not rewritten (run pyfix again)".into())
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, with no check of what was there (the cache, its
/// `.gitignore`). New files get the default mode.
pub fn create_or_replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = temporary(dir)?;
    write_all(tmp.as_file_mut(), path, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Temporary files are named `.pyfix-*.tmp`: hidden, not Python files, and known for what they are. Dropped (an
/// error, an early return), they are removed.
fn temporary(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(".pyfix-").suffix(".tmp").tempfile_in(dir)
}

fn write_all(file: &mut std::fs::File, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(err) = hook::write_error(target) {
        file.write_all(&bytes[..bytes.len() / 2])?;
        return Err(err);
    }
    file.write_all(bytes)
}

/// The original's owner and group on the new file, where this process may set them (root; a group it is in).
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(meta.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, meta);
}

#[cfg(debug_assertions)]
mod hook {
    use std::path::Path;

    pub fn before_replace(target: &Path) {
        if let Some(command) = std::env::var_os("PYFIX_TEST_BEFORE_REPLACE") {
            let _ = std::process::Command::new("sh").arg("-c").arg(command).arg("sh").arg(target).status();
        }
    }

    pub fn write_error(target: &Path) -> Option<std::io::Error> {
        let spec = std::env::var("PYFIX_TEST_FAIL_WRITE").ok()?;
        let (errno, text) = spec.split_once(':')?;
        if !target.to_string_lossy().contains(text) {
            return None;
        }
        let code = match errno {
            "ENOSPC" => 28,
            "EACCES" => 13,
            "EROFS" => 30,
            "EDQUOT" => 122,
            _ => 5, // EIO
        };
        Some(std::io::Error::from_raw_os_error(code))
    }
}

#[cfg(not(debug_assertions))]
mod hook {
    use std::path::Path;

    pub fn before_replace(_: &Path) {}

    pub fn write_error(_: &Path) -> Option<std::io::Error> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    }

    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 2\n").unwrap();
        let err = replace(&path, b"x = 1\n", b"x = 3\n").unwrap_err();
        assert_eq!(err, "changed on disk while pyfix ran; not rewritten (run pyfix again)");
        assert_eq!(std::fs::read(&path).unwrap(), b"x = 2\n");
        assert_eq!(names(dir.path()), ["a.py"], "a temporary file was left behind");
    }

    #[test]
    fn a_file_that_already_holds_the_new_text_is_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 3\n").unwrap();
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        replace(&path, b"x = 1\n", b"x = 3\n").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);
    }

    #[test]
    fn replaces_the_file_and_keeps_its_permissions_and_owner() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
        // As root the file can belong to someone else: the new one must too.
        let other = std::os::unix::fs::chown(&path, Some(4321), Some(4322)).is_ok();
        replace(&path, b"x = 1\n", b"x = 3\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x = 3\n");
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o751);
        if other {
            assert_eq!((meta.uid(), meta.gid()), (4321, 4322), "owner not kept");
        }
        assert_eq!(names(dir.path()), ["a.py"], "a temporary file was left behind");
    }

    #[test]
    fn a_read_only_file_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let err = replace(&path, b"x = 1\n", b"x = 3\n").unwrap_err();
        assert!(err.starts_with("read-only file; not rewritten"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"x = 1\n");
    }

    #[test]
    fn a_directory_where_the_file_was_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::create_dir(&path).unwrap();
        assert_eq!(replace(&path, b"x = 1\n", b"x = 3\n").unwrap_err(), NOW_A_DIRECTORY);
        assert!(path.is_dir());
        assert_eq!(names(dir.path()), ["a.py"]);
    }
}
