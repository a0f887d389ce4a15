//! Installing linkj as a user would: `cargo install --path .`, then `linkj` from any
//! directory on the embedded data; and what a published crate would carry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo running the tests (set for test processes; the one that built them
/// otherwise).
fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from(env!("CARGO")), PathBuf::from)
}

/// The target directory the tests were built in (`…/target/debug/linkj` -> `…/target`).
fn target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_linkj"));
    bin.parent()
        .and_then(Path::parent)
        .expect("the binary lies in target/PROFILE/")
        .to_path_buf()
}

/// `cargo install --path . --root TMP` puts `linkj` in `TMP/bin`, and it runs `check` on
/// the embedded dataset from a directory that holds nothing of the repository.
///
/// The install is the debug profile (`--debug`) in the target directory the tests were
/// built in (`CARGO_TARGET_DIR`), so it reuses what `cargo test` built instead of
/// compiling a release build from scratch; `--locked` keeps the versions of Cargo.lock,
/// as the README tells users to do. Everything else is the install a user runs.
#[test]
fn cargo_install_gives_a_linkj_that_runs_anywhere() {
    let root = tempfile::tempdir().expect("temp dir");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let mut install = Command::new(cargo());
    // What cargo sets for a test process (CARGO_MANIFEST_DIR, CARGO_PKG_*, …) is not in
    // the environment `cargo test` built with; some build scripts rerun on it, which
    // would rebuild their crates here and again at the next `cargo test`.
    for (name, _) in std::env::vars_os() {
        if name
            .to_str()
            .is_some_and(|n| n.starts_with("CARGO_") && n != "CARGO_HOME")
        {
            install.env_remove(name);
        }
    }
    let o = install
        .args(["install", "--path", env!("CARGO_MANIFEST_DIR"), "--locked"])
        .args(["--debug", "--offline", "--quiet", "--root"])
        .arg(root.path())
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .expect("run cargo install");
    assert!(
        o.status.success(),
        "cargo install failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bin = root.path().join("bin").join("linkj");
    assert!(bin.is_file(), "no {}", bin.display());
    let o = Command::new(&bin)
        .arg("check")
        .current_dir(elsewhere.path())
        .env_remove("LINKJ_CONFIG")
        .output()
        .expect("run the installed linkj");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("15 partnerships described, ordinals 1-16"),
        "{out}"
    );
}

/// `cargo package --list`: the embedded dataset is in, the screenshots, the fuzzing
/// crate and its output are out.
#[test]
fn the_package_carries_the_dataset_and_not_the_screenshots() {
    let o = Command::new(cargo())
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "--manifest-path",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("run cargo package");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = String::from_utf8_lossy(&o.stdout);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "assets/partners.ron",
        "src/main.rs",
        "README.md",
        "Cargo.lock",
    ] {
        assert!(files.contains(&needed), "{needed} missing from:\n{list}");
    }
    for f in &files {
        assert!(
            !f.starts_with("screenshots/") && !f.starts_with("fuzz/") && !f.contains(".png"),
            "{f} should not be packaged"
        );
    }
}
