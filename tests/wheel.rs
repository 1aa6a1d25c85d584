//! pyproject.toml builds pyfix as a binary wheel with maturin (`bindings = "bin"`): build it (maturin installed from
//! the package index into a temporary virtualenv), install the wheel into another virtualenv, and run the installed
//! `pyfix`. maturin builds with `--locked` from the build `cargo test` made, in its profile, so it compiles next to
//! nothing (see `common::process::TestBuild::env`). The test needs the package index.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::process::{ok, show, test_build, venv};

#[test]
fn the_wheel_installs_a_working_pyfix() {
    let tmp = tempfile::tempdir().unwrap();
    let build = venv(&tmp.path().join("build-venv"));
    let pip = Command::new(build.join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "maturin>=1.5,<2.0"])
        .output()
        .unwrap();
    assert!(
        pip.status.success(),
        "cannot install maturin from the package index (this test needs network access to it)\n{}",
        show(&pip)
    );
    let dist = tmp.path().join("dist");
    let built = test_build();
    let mut maturin = Command::new(build.join("maturin"));
    maturin.args(["build", "--locked", "--quiet", "--profile", &built.profile, "--out"]).arg(&dist);
    built.env(&mut maturin);
    ok(maturin.current_dir(env!("CARGO_MANIFEST_DIR")));
    let wheels: Vec<PathBuf> = std::fs::read_dir(&dist).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(wheels.len(), 1, "{wheels:?}");
    let name = wheels[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with(&format!("pyfix-{}-py3-none-", env!("CARGO_PKG_VERSION"))), "{name}");

    let user = venv(&tmp.path().join("user-venv"));
    ok(Command::new(user.join("pip")).args(["install", "--quiet", "--disable-pip-version-check"]).arg(&wheels[0]));
    let installed = user.join("pyfix");
    assert!(installed.is_file(), "the wheel did not put pyfix in the virtualenv's bin/");

    let version = ok(Command::new(&installed).arg("--version"));
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("pyfix {}", env!("CARGO_PKG_VERSION")));

    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let leaky = "def read(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n";
    std::fs::write(work.join("app.py"), leaky).unwrap();
    let out = Command::new(&installed).args(["--dry-run", "."]).current_dir(&work).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("+    with open(path) as f:"), "{}", show(&out));
    assert_eq!(std::fs::read_to_string(work.join("app.py")).unwrap(), leaky, "--dry-run wrote");
}
