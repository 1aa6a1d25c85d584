//! Copies of the user's tree for the test runs, each in its own temporary directory, removed when dropped (also on
//! an error or an interrupt: the user's tree is never written here). In a git checkout a copy is a
//! `git worktree add --detach` of HEAD with the user's uncommitted changes and untracked (not ignored) files copied
//! over; elsewhere, or when that fails, a plain recursive copy of the tree.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context as _, Result};

/// The tree the copies are made of: the git checkout's top level holding `cwd`, else `cwd`.
pub struct Tree {
    pub root: PathBuf,
    pub git: bool,
}

impl Tree {
    pub fn find(cwd: &Path) -> Tree {
        let top = git(cwd, &["rev-parse", "--show-toplevel"]).ok().map(|s| PathBuf::from(s.trim_end_matches('\n')));
        match top.and_then(|t| std::fs::canonicalize(t).ok()) {
            Some(root) => Tree { root, git: true },
            None => Tree { root: std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf()), git: false },
        }
    }
}

/// One copy: `root` is the tree, `scratch` a directory beside it for the runs' output.
pub struct Copy {
    pub root: PathBuf,
    pub scratch: PathBuf,
    /// The repository the worktree belongs to, to unregister it when dropped.
    worktree_of: Option<PathBuf>,
    // Last: removed after the worktree is unregistered.
    _dir: tempfile::TempDir,
}

impl Copy {
    pub fn new(tree: &Tree) -> Result<Copy> {
        let dir =
            tempfile::Builder::new().prefix("pyfix-verify-").tempdir().context("creating a temporary directory")?;
        let root = dir.path().join("tree");
        let scratch = dir.path().join("scratch");
        std::fs::create_dir(&scratch).context("creating a temporary directory")?;
        if tree.git && worktree(&tree.root, &root).is_ok() {
            let copy = Copy { root, scratch, worktree_of: Some(tree.root.clone()), _dir: dir };
            copy_changes(&tree.root, &copy.root)?;
            return Ok(copy);
        }
        copy_dir(&tree.root, &root).with_context(|| format!("copying {}", tree.root.display()))?;
        Ok(Copy { root, scratch, worktree_of: None, _dir: dir })
    }

    /// Writes `bytes` to `rel` in this copy.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        // A file git ignores, named on the command line, is not in a worktree.
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        if let Some(repo) = &self.worktree_of {
            let root = self.root.to_string_lossy().into_owned();
            if git(repo, &["worktree", "remove", "--force", &root]).is_err() {
                let _ = std::fs::remove_dir_all(&self.root);
                let _ = git(repo, &["worktree", "prune"]);
            }
        }
    }
}

/// `git -C dir ARGS`: its stdout, or why it failed.
fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).stdin(Stdio::null()).output()?;
    if !out.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn worktree(repo: &Path, at: &Path) -> Result<()> {
    let at = at.to_string_lossy().into_owned();
    git(repo, &["worktree", "add", "--detach", "--quiet", &at, "HEAD"]).map(drop)
}

/// Makes the worktree at `to` hold what the user's checkout at `from` holds: the files changed since HEAD (staged
/// or not; deleted ones deleted) and the untracked files git does not ignore.
fn copy_changes(from: &Path, to: &Path) -> Result<()> {
    let changed = git(from, &["diff", "--name-only", "-z", "--no-renames", "HEAD"])?;
    let untracked = git(from, &["ls-files", "-z", "--others", "--exclude-standard"])?;
    for rel in changed.split('\0').chain(untracked.split('\0')).filter(|r| !r.is_empty()) {
        let (src, dst) = (from.join(rel), to.join(rel));
        match std::fs::symlink_metadata(&src) {
            Ok(meta) => {
                if let Some(parent) = dst.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let _ = std::fs::remove_file(&dst);
                copy_entry(&src, &dst, &meta).with_context(|| format!("copying {}", src.display()))?;
            }
            Err(_) => {
                let _ = std::fs::remove_file(&dst);
            }
        }
    }
    Ok(())
}

/// What a copy leaves out: pyfix's cache and bytecode (the runs write none: `PYTHONDONTWRITEBYTECODE`).
fn skipped(name: &std::ffi::OsStr) -> bool {
    name == ".pyfix_cache" || name == "__pycache__"
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if skipped(&entry.file_name()) {
            continue;
        }
        let meta = entry.path().symlink_metadata()?;
        let dst = to.join(entry.file_name());
        if meta.is_dir() {
            copy_dir(&entry.path(), &dst)?;
        } else {
            copy_entry(&entry.path(), &dst, &meta)?;
        }
    }
    Ok(())
}

/// A file (with its permissions) or a symbolic link (as a link); anything else is left out.
fn copy_entry(src: &Path, dst: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    if meta.file_type().is_symlink() {
        std::os::unix::fs::symlink(std::fs::read_link(src)?, dst)
    } else if meta.is_file() {
        std::fs::copy(src, dst).map(drop)
    } else {
        Ok(())
    }
}
