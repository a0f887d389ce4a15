//! The config file as a user meets it: where it is looked for, the default one it
//! prints, flags over the file over the defaults, remapped keys in the browser and in
//! its hints and help, and one located line for every mistake.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;
mod pty;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use common::screen;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use linkj::app::{Options, action_for_event_in};
use linkj::config::{self, Config};
use linkj::keymap::Keymap;
use linkj::session::Session;
use linkj::update::update;

/// linkj with `config` as its config file (`$LINKJ_CONFIG`).
fn linkj_with(config: Option<&Path>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_linkj"));
    c.args(args).env("NO_COLOR", "1");
    match config {
        Some(p) => c.env("LINKJ_CONFIG", p),
        None => c.env_remove("LINKJ_CONFIG"),
    };
    c.output().expect("run linkj")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A config file with `text` in a fresh directory (kept alive by the returned guard).
fn config_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).expect("write the config");
    (dir, path)
}

#[test]
fn config_path_is_linkj_config_else_the_platform_config_dir() {
    let o = linkj_with(Some(Path::new("/somewhere/my.toml")), &["config", "--path"]);
    assert_eq!(out(&o), "/somewhere/my.toml\n");
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["config", "--path"])
        .env_remove("LINKJ_CONFIG")
        .env("XDG_CONFIG_HOME", "/xdg/conf")
        .output()
        .expect("run linkj");
    assert_eq!(out(&o), "/xdg/conf/linkj/config.toml\n");
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["config", "--path"])
        .env_remove("LINKJ_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", "/home/someone")
        .output()
        .expect("run linkj");
    assert_eq!(out(&o), "/home/someone/.config/linkj/config.toml\n");
    // /dev/null: an empty config, as for git.
    let o = linkj_with(Some(Path::new("/dev/null")), &["check"]);
    assert!(o.status.success(), "{}", err(&o));
    // Nothing there: the defaults, no complaint.
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .arg("check")
        .env_remove("LINKJ_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-linkj-config")
        .output()
        .expect("run linkj");
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn the_default_file_is_valid_and_uncommented_changes_nothing() {
    let o = linkj_with(None, &["config", "--default"]);
    assert!(o.status.success());
    let text = out(&o);
    assert!(text.contains("# language = \"en\""), "{text}");
    assert!(text.contains("# search = [\"/\"]"), "{text}");
    // As printed, every setting commented out: nothing set.
    let parsed = config::parse(&text, "default.toml").expect("the default file parses");
    assert_eq!(parsed, Config::default());
    // With every setting uncommented: the defaults, spelled out, and the same keys.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") && !rest.contains('`') => rest.to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(uncommented.contains("\nlanguage = \"en\""), "{uncommented}");
    let parsed = config::parse(&uncommented, "uncommented.toml").expect("uncommented parses");
    assert_eq!(parsed.lang, Some(linkj::data::Lang::En));
    assert_eq!(parsed.theme, Some(config::ThemeName::Dark));
    assert_eq!((parsed.plain, parsed.mouse), (Some(false), Some(true)));
    assert_eq!(
        parsed.keymap.help_sections(),
        Keymap::default().help_sections()
    );
}

#[test]
fn flags_beat_the_file_and_the_file_beats_the_defaults() {
    let (_dir, path) = config_file("language = \"ja\"\n");
    let english = out(&linkj_with(None, &["list"]));
    assert!(english.contains("University of California San Diego"));
    let from_file = out(&linkj_with(Some(&path), &["list"]));
    assert!(
        from_file.contains("カリフォルニア大学サンディエゴ校"),
        "{from_file}"
    );
    let flag = out(&linkj_with(Some(&path), &["list", "--lang", "en"]));
    assert_eq!(flag, english);
    let ignored = out(&linkj_with(Some(&path), &["list", "--no-config"]));
    assert_eq!(ignored, english);
}

#[test]
fn a_bad_config_is_one_located_line_and_exit_1_unless_no_config() {
    let cases = [
        (
            "theme = \"blue\"\n",
            ":1:9: unknown variant `blue`, expected one of `dark`, `light`, `mono`",
        ),
        (
            "language = \"ja\"\ncolour = true\n",
            ":2:1: unknown field `colour`, expected one of `language`, `theme`, `plain`, `mouse`, `start`, `keys`",
        ),
        ("plain = yes\n", ":1:9: "),
        (
            "[keys.browser]\nqiut = \"x\"\n",
            ":2:1: unknown action \"qiut\"; the actions of [keys.browser] are quit, down, up,",
        ),
        (
            "[keys.browser]\nquit = \"Ctlr-x\"\n",
            ":2:8: unknown key \"Ctlr-x\"; a key is a character (q, G, /, ?), Ctrl- and a letter (Ctrl-D), Ctrl-Up, Ctrl-Down, Space, Up,",
        ),
        (
            "[keys.help]\naccept-search = \"x\"\n",
            ":2:1: \"accept-search\" is not an action of [keys.help]; the actions of [keys.help] are down, up, page-down, page-up, close-help",
        ),
        (
            "[keys.browser]\nquit = \"x\"\nsearch = [\"f\", \"x\"]\n",
            ":3:10: x is given to both quit and search in [keys.browser]",
        ),
        (
            "[keys.sidebar]\n",
            ":1:7: unknown field `sidebar`, expected one of `browser`, `search-bar`, `help`, `palette`",
        ),
    ];
    for (text, expected) in cases {
        let (_dir, path) = config_file(text);
        let o = linkj_with(Some(&path), &["list"]);
        assert_eq!(o.status.code(), Some(1), "{text}");
        assert!(out(&o).is_empty());
        let e = err(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.starts_with(&format!("linkj: {}{expected}", path.display())),
            "{text:?} gave {e}"
        );
        let o = linkj_with(Some(&path), &["list", "--no-config"]);
        assert!(o.status.success(), "{}", err(&o));
    }
    // A file LINKJ_CONFIG names must be there.
    let o = linkj_with(Some(Path::new("/nonexistent/linkj.toml")), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        err(&o),
        "linkj: /nonexistent/linkj.toml: cannot read the config file: no such file\n"
    );
    // Finding the file does not need it to be right.
    let (_dir, path) = config_file("theme = \"blue\"\n");
    let o = linkj_with(Some(&path), &["config", "--path"]);
    assert!(o.status.success());
}

/// A browser on the embedded dataset with the keymap of `config_text`.
fn browser(config_text: &str, w: u16, h: u16) -> Session {
    let cfg = config::parse(config_text, "config.toml").expect("valid config");
    let opts = Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        keymap: cfg.keymap.clone(),
        start_in_timeline: true,
        ..Options::default()
    };
    common::on(
        linkj::data::load_embedded().expect("embedded"),
        (w, h),
        &opts,
    )
}

/// A key press through the session's own keymap, as the event loop does.
fn press(m: &mut Session, code: KeyCode) {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let keys: Arc<Keymap> = m.settings().keymap.clone();
    if let Some(a) = action_for_event_in(&keys, m.mode(), ev) {
        update(m, a);
    }
}

#[test]
fn a_remapped_key_acts_and_shows_in_the_hints_and_the_help() {
    let mut m = browser("[keys.browser]\nsearch = \"f\"\nquit = [\"x\"]\n", 120, 60);
    let status = screen(&m).lines().last().unwrap_or_default().to_string();
    assert!(status.contains("f search"), "{status}");
    assert!(status.contains("x quit"), "{status}");
    assert!(
        !status.contains("/ search") && !status.contains("q quit"),
        "{status}"
    );
    assert!(
        screen(&m).contains("│/ press f to search names"),
        "{}",
        screen(&m)
    );
    // `/` no longer searches; `f` does, and there `f` types itself.
    press(&mut m, KeyCode::Char('/'));
    assert_eq!(m.mode(), linkj::mode::Mode::Timeline);
    press(&mut m, KeyCode::Char('f'));
    assert_eq!(m.mode(), linkj::mode::Mode::Search);
    press(&mut m, KeyCode::Char('f'));
    assert_eq!(m.query().text(), "f");
    // Esc clears the query; Esc on the empty one leaves the search bar.
    press(&mut m, KeyCode::Esc);
    press(&mut m, KeyCode::Esc);
    press(&mut m, KeyCode::Char('?'));
    let help = screen(&m);
    // The overlay's rows: the keys, then what they do.
    let row = |what: &str| {
        help.lines()
            .flat_map(|l| l.split('│'))
            .find(|seg| seg.starts_with("  ") && seg.trim_end().ends_with(&format!("  {what}")))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    assert!(row("search").starts_with("f "), "{help}");
    assert!(row("quit").starts_with("x, Ctrl-C "), "{help}");
    // `q` quits no more; `x` does.
    press(&mut m, KeyCode::Esc);
    press(&mut m, KeyCode::Char('q'));
    assert!(!m.quit());
    press(&mut m, KeyCode::Char('x'));
    assert!(m.quit());
}

#[test]
fn a_key_given_to_an_action_wins_over_its_standard_use() {
    // `q` searches now; quitting is left to Ctrl-C (and says so).
    let mut m = browser("[keys.browser]\nsearch = \"q\"\n", 120, 60);
    let status = screen(&m).lines().last().unwrap_or_default().to_string();
    assert!(
        status.contains("q search") && !status.contains("q quit"),
        "{status}"
    );
    press(&mut m, KeyCode::Char('q'));
    assert!(!m.quit());
    assert_eq!(m.mode(), linkj::mode::Mode::Search);
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let keys = m.settings().keymap.clone();
    let a = action_for_event_in(&keys, m.mode(), ctrl_c).expect("Ctrl-C is bound");
    update(&mut m, a);
    assert!(m.quit());
}

#[test]
fn the_browser_takes_plain_and_mouse_from_the_file_unless_a_flag_says_otherwise() {
    // Started in the timeline (the file says so), where `q` quits.
    let (_dir, path) = config_file("plain = true\nmouse = false\nstart = \"timeline\"\n");
    let p = path.to_str().expect("a UTF-8 path");
    let run = |args: &[&str]| {
        let mut t = pty::Term::start_env(args, 100, 30, &[("LINKJ_CONFIG", p)]);
        t.wait_text("University of California San Diego");
        t.typ("q");
        t.wait_exit();
        String::from_utf8_lossy(&t.raw()).into_owned()
    };
    let from_file = run(&[]);
    assert!(!from_file.contains('─'), "box drawing with plain = true");
    assert!(
        !from_file.contains("\x1b[?1000h"),
        "mouse captured with mouse = false"
    );
    let flags = run(&["--no-plain", "--mouse"]);
    assert!(flags.contains('─'), "no box drawing with --no-plain");
    assert!(
        flags.contains("\x1b[?1000h"),
        "no mouse capture with --mouse"
    );
}

#[test]
fn the_readme_example_is_a_valid_config() {
    let readme = include_str!("../README.md");
    let example = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a toml block in README.md");
    let cfg = config::parse(example, "README.md").expect("the README's example parses");
    assert_eq!(cfg.lang, Some(linkj::data::Lang::Ja));
    let keys = cfg.keymap.keys_for(
        linkj::mode::Mode::Timeline,
        &linkj::action::Action::FocusSearch,
    );
    assert_eq!(keys, ["f"]);
}
