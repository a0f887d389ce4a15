//! Sources a reader can open: a page's address is an OSC 8 hyperlink in the browser and
//! in `show` on a terminal, plain text in pipes, with `--plain` and on terminals that
//! would print the sequence; a hostile address in a dataset never reaches an escape
//! sequence; `Y` copies the addresses the card cites.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;
mod pty;

use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex};

use linkj::app::Options;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

const LINKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/links.ron");
const PAGE: &str = "https://good.example.org/page";
const WEB: &str = "https://good.example.org/";
const HUB_WEB: &str = "https://good.example.org/hub";

/// `text` as an OSC 8 link to `url`, as linkj writes it.
fn link(url: &str, text: &str) -> String {
    format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")
}

/// The target of every OSC 8 sequence in `raw` (empty for a link's end).
fn link_targets(raw: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(raw);
    s.match_indices("\x1b]8;")
        .map(|(i, intro)| {
            let rest = &s[i + intro.len()..];
            let end = rest.find("\x1b\\").expect("an OSC 8 ends with ST");
            let (params, url) = rest[..end].split_once(';').expect("params;url");
            assert_eq!(params, "", "no parameters");
            url.to_string()
        })
        .collect()
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env("LINKJ_CONFIG", "/dev/null")
        .output()
        .expect("run linkj")
}

/// Every command's every output format, on `data`.
fn every_output(data: &str) -> Vec<Vec<String>> {
    let runs: &[&[&str]] = &[
        &["check"],
        &["list"],
        &["list", "--json"],
        &["list", "--csv"],
        &["list", "--lang", "ja"],
        &["search", "good"],
        &["search", "good", "--json"],
        &["search", "good", "--csv"],
        &["show", "good"],
        &["show", "good", "--json"],
        &["show", "good", "--markdown"],
        &["show", "good", "--lang", "ja"],
        &["show", "hostless"],
        &["show", "EH"],
        &["show", "EH", "--json"],
        &["show", "EH", "--markdown"],
    ];
    runs.iter()
        .map(|r| {
            let mut v: Vec<String> = r.iter().map(|s| s.to_string()).collect();
            v.extend(["--data".to_string(), data.to_string()]);
            v
        })
        .collect()
}

#[test]
fn into_a_pipe_no_output_has_an_escape_and_the_addresses_are_text() {
    for args in every_output(LINKS) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        for (what, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            assert!(
                !bytes.contains(&0x1b) && !bytes.contains(&0x07),
                "{args:?} wrote an escape to {what}:\n{}",
                String::from_utf8_lossy(bytes)
            );
            let s = String::from_utf8_lossy(bytes);
            assert!(
                !s.contains('\u{9b}') && !s.contains('\u{9d}'),
                "{args:?}: C1"
            );
        }
    }
    let card = String::from_utf8(run(&["show", "good", "--data", LINKS]).stdout).unwrap();
    assert!(
        card.contains(&format!(" - {PAGE}: A good page — Good")),
        "{card}"
    );
    assert!(card.contains(&format!("Web      {WEB}")), "{card}");
    // The sequences smuggled into a fact's text are left as their harmless letters.
    assert!(
        card.contains("Link]8;;https://phish.example/\\here]8;;\\"),
        "{card}"
    );
}

/// Hostile addresses, as RON strings: controls, an OSC 8 with its ST, a BEL, C1
/// controls, a direction override, `javascript:`, an over-long and a non-ASCII one.
fn hostile() -> Vec<(&'static str, String)> {
    vec![
        (
            "OSC 8 and ST inside",
            r"https://evil.example/a\u{1b}]8;;https://phish.example/\u{1b}\\b".into(),
        ),
        ("a BEL", r"https://evil.example/bel\u{7}x".into()),
        (
            "C1 OSC and ST",
            r"https://evil.example/c1\u{9d}8;;https://phish.example/\u{9c}".into(),
        ),
        (
            "a clear-screen",
            r"https://evil.example/\u{1b}[2JWIPED".into(),
        ),
        (
            "a direction override",
            r"https://evil.example/\u{202e}exe.txt".into(),
        ),
        ("a newline", r"https://evil.example/a\nb".into()),
        ("javascript:", "javascript:alert(document.cookie)".into()),
        (
            "over-long",
            format!("https://evil.example/{}", "a".repeat(3000)),
        ),
        ("non-ASCII", "https://例え.jp/ページ".into()),
        ("a space", "https://evil.example/a b".into()),
    ]
}

#[test]
fn a_dataset_with_a_hostile_address_is_refused_where_it_is_with_no_escape() {
    let fixture = std::fs::read_to_string(LINKS).expect("fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    // A partner's web address, the hub's, and a page's (cited by the same address).
    let places = [
        (
            "url: Some(\"https://good.example.org/\")",
            "url: Some(\"{}\")",
        ),
        (
            "url: Some(\"https://good.example.org/hub\")",
            "url: Some(\"{}\")",
        ),
    ];
    for (name, url) in hostile() {
        for (at, with) in places {
            let text = fixture.replacen(at, &with.replace("{}", &url), 1);
            assert_ne!(text, fixture);
            let line = text[..text.find(&with.replace("{}", &url)).unwrap()]
                .lines()
                .count();
            let path = dir.path().join("hostile.ron");
            std::fs::write(&path, &text).expect("write");
            for args in every_output(&path.display().to_string()) {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let o = run(&args);
                let err = String::from_utf8_lossy(&o.stderr);
                assert_eq!(o.status.code(), Some(1), "{name}: {args:?}: {err}");
                assert!(o.stdout.is_empty(), "{name}: {args:?}");
                // Located at the address, or at the entry that holds it.
                let at: usize = err
                    .split("hostile.ron:")
                    .nth(1)
                    .and_then(|r| r.split(':').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                assert!(
                    at > 1 && at <= line && err.contains("has url"),
                    "{name} at line {line}: {err}"
                );
                assert!(
                    !o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07),
                    "{name}: {args:?}: {err:?}"
                );
                assert!(!err.contains('\u{9b}') && !err.contains('\u{9d}'));
                assert!(!err.contains('\u{202e}'), "{name}");
            }
        }
    }
}

#[test]
fn show_on_a_terminal_links_the_good_addresses_and_nothing_else() {
    let mut t = pty::Term::start(&["show", "good", "--data", LINKS], 100, 50);
    t.wait_exit();
    let raw = t.raw();
    let s = String::from_utf8_lossy(&raw);
    assert!(
        s.contains(&format!(" - {}: A good page", link(PAGE, PAGE))),
        "{s:?}"
    );
    assert!(s.contains(&link(WEB, WEB)), "{s:?}");
    let mut targets = link_targets(&raw);
    targets.sort();
    targets.dedup();
    assert_eq!(
        targets,
        ["", WEB, PAGE],
        "only the good addresses are links"
    );
    // On the screen, the address reads as it does in a pipe.
    assert!(t.screen().contains(&format!(" - {PAGE}: A good page")));

    // Addresses that are not links, or only text around one: no sequence.
    let mut t = pty::Term::start(&["show", "hostless", "--data", LINKS], 100, 50);
    t.wait_exit();
    assert_eq!(link_targets(&t.raw()), Vec::<String>::new());
    assert!(
        t.screen()
            .contains(" - https://: An address without a host")
    );

    // Plain output, and terminals that would print the sequence, get none.
    for (args, env) in [
        (vec!["show", "good", "--plain"], vec![]),
        (vec!["show", "good"], vec![("LINKJ_PLAIN", "1")]),
        (vec!["show", "good"], vec![("TERM", "vt100")]),
        (vec!["show", "good"], vec![("TERM", "dumb")]),
        (vec!["show", "good"], vec![("TERM", "linux")]),
        (vec!["show", "EH", "--markdown"], vec![]),
        (vec!["show", "good", "--json"], vec![]),
    ] {
        let mut all = args.clone();
        all.extend(["--data", LINKS]);
        let mut t = pty::Term::start_env(&all, 100, 50, &env);
        t.wait_exit();
        let raw = t.raw();
        assert!(
            !String::from_utf8_lossy(&raw).contains("\x1b]8"),
            "{args:?} {env:?}"
        );
        assert!(String::from_utf8_lossy(&raw).contains(PAGE), "{args:?}");
    }
}

#[test]
fn the_browser_links_the_sources_and_y_copies_their_addresses() {
    use base64::Engine as _;
    let mut t = pty::Term::start_env(
        &["--start", "timeline", "--data", LINKS],
        120,
        40,
        &[("TMUX", "")],
    );
    t.wait_text("Good University");
    t.typ("\t");
    t.typ("G");
    t.wait_text("good.example.org/page: A good");
    t.typ("Y");
    t.wait_text("1 source address of Good University sent to the terminal");
    t.typ("\t");
    t.typ("j");
    t.wait_text("An address without a host");
    t.typ("Y");
    // An address that is no link is copied all the same (base64 carries any text).
    t.wait_text("1 source address of Hostless University sent");
    t.typ("h");
    t.wait_text("Partners 2 described");
    t.typ("q");
    t.wait_exit();
    let raw = t.raw();
    let s = String::from_utf8_lossy(&raw);
    assert!(s.contains(&link(PAGE, PAGE)), "no link to the page");
    assert!(
        s.contains(&link(HUB_WEB, HUB_WEB)),
        "no link to the hub's site"
    );
    let mut targets = link_targets(&raw);
    targets.sort();
    targets.dedup();
    assert_eq!(targets, ["", WEB, HUB_WEB, PAGE]);
    // Two copies: the page each partner cites, one a line.
    let payloads = pty::osc52_payloads(&raw);
    let copied: Vec<String> = payloads
        .iter()
        .map(|p| {
            let b = base64::engine::general_purpose::STANDARD
                .decode(p)
                .expect("base64");
            String::from_utf8(b).unwrap()
        })
        .collect();
    assert_eq!(copied, [format!("{PAGE}\n"), "https://\n".to_string()]);
    t.assert_restored();

    // --plain: the same screens, no link.
    let mut t = pty::Term::start(
        &["--start", "timeline", "--data", LINKS, "--plain"],
        120,
        40,
    );
    t.wait_text("Good University");
    t.typ("\t");
    t.typ("G");
    t.wait_text("good.example.org/page: A good");
    t.typ("q");
    t.wait_exit();
    assert!(!String::from_utf8_lossy(&t.raw()).contains("\x1b]8"));
}

/// ratatui's crossterm backend writing into memory, as `linkj serve` draws for a
/// visitor: the bytes are what a terminal would get.
struct Bytes {
    inner: CrosstermBackend<Shared>,
    size: Size,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Backend for Bytes {
    type Error = std::io::Error;
    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, c: I) -> std::io::Result<()> {
        self.inner.draw(c)
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> std::io::Result<()> {
        self.inner.set_cursor_position(p)
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, t: ClearType) -> std::io::Result<()> {
        self.inner.clear_region(t)
    }
    fn size(&self) -> std::io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// Types `keys`: a tab and a return are those keys, the rest characters.
fn press(m: &mut linkj::session::Session, keys: &str) {
    use crossterm::event::KeyCode;
    for c in keys.chars() {
        match c {
            '\t' => common::key(m, KeyCode::Tab),
            '\r' => common::key(m, KeyCode::Enter),
            c => common::typ(m, &c.to_string()),
        }
    }
}

/// The rows of a vt100 screen, trailing blanks trimmed.
fn rows(p: &vt100::Parser, w: u16) -> Vec<String> {
    p.screen()
        .rows(0, w)
        .map(|r| r.trim_end().to_string())
        .collect()
}

#[test]
fn frame_after_frame_the_linked_screen_reads_as_the_plain_one() {
    // Two sessions given the same keys: one draws links into bytes that a terminal
    // emulator reads, the other is drawn without them. After every frame the emulator's
    // screen must read as the plain one: the diff of cells that carry a sequence stays
    // in step with the screen, beside two-cell characters, under the help overlay,
    // when scrolled and in either language.
    let (w, h) = (120u16, 40u16);
    let opts = |hyperlinks| Options {
        mouse: true,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        hyperlinks,
        ..Options::default()
    };
    let mut linked = common::on(common::embedded(), (w, h), &opts(true));
    let mut plain = common::on(common::embedded(), (w, h), &opts(false));
    let out = Shared::default();
    let backend = Bytes {
        inner: CrosstermBackend::new(out.clone()),
        size: Size::new(w, h),
    };
    let mut term = Terminal::new(backend).expect("terminal");
    let mut vt = vt100::Parser::new(
        std::num::NonZeroU16::new(h).unwrap(),
        std::num::NonZeroU16::new(w).unwrap(),
        0,
    );
    let steps: &[&str] = &[
        "",
        "/kawasaki\r",
        "\t",
        "G",
        "k",
        "k",
        "k",
        "L",
        "G",
        "k",
        "?",
        "?",
        "\t",
        "c",
        "h",
        "j",
        "/ucsd\r",
        "\t",
        "G",
        "L",
        "j",
        "g",
    ];
    let mut linked_frames = 0;
    for step in steps {
        for m in [&mut linked, &mut plain] {
            press(m, step);
        }
        common::finish_search(&mut linked);
        common::finish_search(&mut plain);
        term.draw(|f| linkj::ui::render(&linked, f)).expect("draw");
        let bytes = std::mem::take(&mut *out.0.lock().unwrap());
        if String::from_utf8_lossy(&bytes).contains("\x1b]8;;https://") {
            linked_frames += 1;
        }
        vt.process(&bytes);
        let want: Vec<String> = common::screen(&plain).lines().map(str::to_string).collect();
        assert_eq!(rows(&vt, w), want, "after {step:?}");
    }
    assert!(linked_frames >= 6, "links drawn in {linked_frames} frames");
}

#[test]
fn y_on_a_card_that_cites_releases_only_says_so_and_sends_nothing() {
    let mut m = common::app(120, 40);
    press(&mut m, "/eurobiomed\r");
    common::finish_search(&mut m);
    press(&mut m, "Y");
    assert!(m.take_outbox().is_empty(), "nothing to copy");
    assert!(
        common::screen(&m).contains("Eurobiomed cites no page by address, only releases"),
        "{}",
        common::screen(&m)
    );
    // Kobe cites LINK-J's own page and UC San Diego's: those addresses, in the card's
    // order, one a line.
    press(&mut m, "c/kobe\r");
    common::finish_search(&mut m);
    press(&mut m, "Y");
    let out = m.take_outbox();
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0],
        linkj::update::osc52(
            "https://www.link-j.org/news/post-404.html\nhttps://ucsdnews.ucsd.edu/pressrelease/uc_san_diego_signs_mou_with_fbri\n",
            false
        )
    );
    // And the help lists the key.
    press(&mut m, "?");
    assert!(common::screen(&m).contains("copy the addresses of the pages"));
}
