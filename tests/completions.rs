//! Shell completions and the man page, generated from the clap definition: they load in
//! the shells and render in man as a user would use them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::process::{Command, Output};

fn linkj(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env_remove("LINKJ_CONFIG")
        .output()
        .expect("run linkj")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whether a tool the test needs is there; without it the test says so loudly, and
/// under CI (which installs it, see .ci/run) it fails instead.
fn have(tool: &str, probe: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing under CI: .ci/run should install it"
        );
        eprintln!("SKIPPED: no `{tool}` on this machine");
    }
    ok
}

/// What bash offers for the words typed so far (the last one is being completed), with
/// the script `linkj completions bash` printed loaded into a fresh `bash -c`.
fn bash_complete(script: &std::path::Path, words: &[&str]) -> String {
    let cword = words.len() - 1;
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let prev = if cword == 0 { "" } else { words[cword - 1] };
    let program = format!(
        "set -e; source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; \
         _linkj linkj '{}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword],
    );
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("run bash");
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "the script does not load: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_bash_script_loads_and_completes_commands_and_options() {
    if !have("bash", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("linkj.bash");
    std::fs::write(&script, stdout(&linkj(&["completions", "bash"]))).expect("write");
    let offered = bash_complete(&script, &["linkj", "ch"]);
    assert_eq!(offered.lines().collect::<Vec<_>>(), ["check"], "{offered}");
    let offered = bash_complete(&script, &["linkj", "comp"]);
    assert_eq!(offered.lines().collect::<Vec<_>>(), ["completions"]);
    let offered = bash_complete(&script, &["linkj", "list", "--st"]);
    assert_eq!(offered.lines().collect::<Vec<_>>(), ["--status"]);
    // The values clap knows are offered too.
    let offered = bash_complete(&script, &["linkj", "completions", "z"]);
    assert_eq!(offered.lines().collect::<Vec<_>>(), ["zsh"]);
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let s = stdout(&linkj(&["completions", shell]));
        for word in ["check", "search", "region", "no-mouse"] {
            assert!(s.contains(word), "{shell}: no {word} in\n{s}");
        }
    }
    let o = linkj(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    assert!(err.contains("bash, elvish, fish, powershell, zsh"), "{err}");
}

#[test]
fn the_zsh_and_fish_scripts_parse() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (shell, check) in [("zsh", &["-n"][..]), ("fish", &["--no-execute"][..])] {
        if Command::new(shell).arg("--version").output().is_err() {
            // Not installed by CI either: bash is the shell the issue asks about.
            eprintln!("SKIPPED: no {shell} to parse its completion script");
            continue;
        }
        let script = dir.path().join(shell);
        std::fs::write(&script, stdout(&linkj(&["completions", shell]))).expect("write");
        let o = Command::new(shell)
            .args(check)
            .arg(&script)
            .output()
            .expect("run the shell");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn the_man_page_renders_with_man() {
    if !have("man", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("linkj.1");
    std::fs::write(&page, stdout(&linkj(&["man"]))).expect("write");
    let o = Command::new("man")
        .args(["-P", "cat", "-l"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run man");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    // Rendered, not roff source: the sections as headings, the options and commands.
    assert!(
        text.contains("NAME\n       linkj - Browse LINK-J"),
        "{text}"
    );
    assert!(!text.contains(".TH") && !text.contains("\\fB"), "{text}");
    for word in ["SYNOPSIS", "OPTIONS", "--no-mouse", "completions", "check"] {
        assert!(text.contains(word), "no {word} in\n{text}");
    }
}

#[test]
fn the_man_page_has_no_groff_warnings() {
    if !have("groff", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("linkj.1");
    std::fs::write(&page, stdout(&linkj(&["man"]))).expect("write");
    let o = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&page)
        .output()
        .expect("run groff");
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
