//! Beyond the five releases: what public pages add, cited by URL, in every output; the
//! 15th partnership placed as far as the counts allow; Latin-letter names either a
//! source's or marked as ours (issue 20). The binary is run as a user runs it; the
//! browser is driven with keys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use common::*;

const MF0831: &str = "https://www.mitsuifudosan.co.jp/corporate/news/2018/0831/";
const DPR: &str = "https://digitalpr.jp/r/28652";
const LJ404: &str = "https://www.link-j.org/news/post-404.html";
const LJ2990: &str = "https://www.link-j.org/news/post-2990.html";
const BIZ: &str = "https://bizzine.jp/article/detail/1628";
const XT: &str = "https://xtech.nikkei.com/dm/atcl/feature/15/327441/060300080/?P=4";
const MT: &str = "https://mansiontrend.com/?p=5164";
const MICE: &str = "https://www.mitsui-mice.jp/nihonbashi/topics/07";
const S000: &str = "000_e6dfab02338f65d4.txt";
const S001: &str = "001_2e0c3428fe68af4f.txt";
const S004: &str = "004_5f3463c096de4508.txt";
const LJ2985E: &str = "https://www.link-j.org/en/news/post-2985.html";
const LJ3436: &str = "https://www.link-j.org/news/post-3436.html";

/// The card's Sources section (everything after its heading).
fn sources_section(card: &str) -> String {
    let at = card.rfind("\nSources").expect("a Sources section");
    squeeze(&card[at..])
}

#[test]
fn every_card_lists_every_source_it_cites_pages_with_publisher_and_date() {
    let ds = embedded().dataset;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    for p in ds.partners.as_slice().unwrap() {
        // The card `show` prints for it.
        let card = linkj::ui::detail_card(&ds, p, linkj::data::Lang::En, 80, today).join("\n");
        let listed = sources_section(&card);
        for key in p.cited() {
            assert!(
                listed.contains(&squeeze(&key)),
                "{}: {key} not in\n{card}",
                p.id
            );
            assert!(ds.source(&key).is_some(), "{key} is not declared");
        }
    }
    // A page is listed by its URL, with its publisher and its own date.
    let card = squeeze(&out(&["show", "kawasaki"]));
    assert!(
        card.contains(&squeeze(&format!(
            "{MF0831}: LINK-J signs a mutual partnership memorandum with the City of Kawasaki — Mitsui Fudosan and LINK-J, 2018-08-31"
        ))),
        "{card}"
    );
    let md = out(&["show", "kawasaki", "--markdown"]);
    assert!(md.contains("Mitsui Fudosan and LINK-J, 2018-08-31"), "{md}");
    assert!(md.contains("digitalpr.jp/r/28652"), "{md}");
    // The hub's card lists the pages of its facts and of the gap's deduction.
    let hub = out(&["show", "LINK-J"]);
    let listed = sources_section(&hub);
    for key in [BIZ, XT, MT, LJ404, LJ2990, MICE] {
        assert!(listed.contains(&squeeze(key)), "{key} not in\n{hub}");
    }
}

#[test]
fn kawasaki_signed_on_its_day_with_what_its_release_says() {
    let v = json(&["show", "kawasaki", "--json"]);
    assert_eq!(v["signed"], "2018-08-30");
    let facts = v["facts"].as_array().unwrap();
    let first = facts
        .iter()
        .find(|f| f["text"]["ja"].as_str().unwrap().contains("はじめて"))
        .expect("the first local government");
    assert_eq!(first["sources"], serde_json::json!([MF0831, DPR]));
    // Its wording of the memorandum is a recorded conflict, both readings kept.
    let card = squeeze(&out(&["show", "kawasaki"]));
    assert!(card.contains("\"相互提携の覚書\""), "{card}");
    assert!(card.contains(&format!("{MF0831}(headline)")), "{card}");
    // Its day is in the list, with no mark (the releases' month agrees).
    let list = out(&["list"]);
    let row = list
        .lines()
        .find(|l| l.contains("City of Kawasaki"))
        .unwrap();
    assert!(row.contains("2018-08-30 "), "{row}");
}

#[test]
fn kobe_keeps_both_readings_with_who_says_which_and_shows_linkjs_own_january() {
    let v = json(&["show", "kobe", "--json"]);
    assert_eq!(v["signed"], "2018-01");
    let notes = v["notes"].as_array().unwrap();
    let signed = notes
        .iter()
        .find(|n| n["field"] == "signed" && n["kind"] == "Conflict")
        .expect("the conflict on the date");
    let readings = signed["readings"].as_array().unwrap();
    let jan = readings.iter().find(|r| r["value"] == "2018年1月").unwrap();
    let feb = readings.iter().find(|r| r["value"] == "2018年2月").unwrap();
    let jan: Vec<&str> = jan["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let feb: Vec<&str> = feb["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        jan.contains(&LJ404) && jan.contains(&"000_e6dfab02338f65d4.txt (table)"),
        "{jan:?}"
    );
    assert!(feb.contains(&S001) && !feb.contains(&LJ404), "{feb:?}");
    // Every output marks it.
    let md = out(&["show", "kobe", "--markdown"]);
    assert!(
        md.contains("- **Signed:** 2018-01 (sources disagree)"),
        "{md}"
    );
    assert!(md.contains("post-404.html"), "{md}");
    let check = out(&["check"]);
    assert!(
        check.contains(&format!(
            "\"2018年1月\" in 000_e6dfab02338f65d4.txt (table), {LJ404}"
        )),
        "{check}"
    );
    let m = app(120, 40);
    let s = screen(&m);
    let row = s
        .lines()
        .find(|l| l.contains("Foundation for Bio"))
        .unwrap();
    assert!(row.contains(" 6* 2018-01!"), "{s}");
}

#[test]
fn soyamas_two_spellings_each_with_its_sources() {
    let v = json(&["show", "LINK-J", "--json"]);
    let note = v["hub"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["field"] == "people" && n["kind"] == "Conflict")
        .unwrap();
    let r = note["readings"].as_array().unwrap();
    assert!(
        r.iter().any(|x| x["value"] == "曽山明彦"
            && x["sources"].as_array().unwrap().iter().any(|s| s == MICE))
    );
    assert!(
        r.iter()
            .any(|x| x["value"] == "曾山明彦" && x["sources"] == serde_json::json!([S004]))
    );
    // LINK-J's own page of the MPR MOU writes 曽山 where 004 writes 曾山: on MPR's card,
    // a conflict with both readings, and the page among the sources.
    let v = json(&["show", "mpr", "--json"]);
    let note = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["field"] == "people" && n["kind"] == "Conflict")
        .unwrap();
    assert_eq!(
        note["readings"],
        serde_json::json!([
            {"value": "曾山明彦", "sources": [S004]},
            {"value": "曽山明彦", "sources": [LJ3436]},
        ])
    );
    let card = out(&["show", "mpr"]);
    assert!(
        card.contains(&format!(" - {LJ3436}: LINK-J signs an MOU with Medicen")),
        "{card}"
    );
    assert!(card.contains("[sources disagree] people"), "{card}");
}

#[test]
fn oui_ucsd_and_biocom_are_confirmed_by_pages_cited_on_their_cards() {
    let oui = squeeze(&out(&["show", "oui"]));
    assert!(oui.contains("namesOxfordUniversityInnovation"), "{oui}");
    assert!(oui.contains(&squeeze(MT)), "{oui}");
    for id in ["ucsd", "biocom"] {
        let v = json(&["show", id, "--json"]);
        let f = v["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["text"]["en"].as_str().unwrap().contains("2016-06-03"))
            .unwrap_or_else(|| panic!("{id}: agreed by the launch"));
        let s = f["sources"].as_array().unwrap();
        assert!(
            s.iter().any(|x| x == BIZ) && s.iter().any(|x| x == XT),
            "{id}: {s:?}"
        );
        // The release's month is kept: no page gives a day.
        assert_eq!(v["signed"], "2016-05");
    }
}

#[test]
fn the_hubs_card_has_what_the_pages_add_each_with_its_page() {
    let card = squeeze(&out(&["show", "LINK-J"]));
    let v = json(&["show", "LINK-J", "--json"]);
    let facts = v["hub"]["facts"].as_array().unwrap();
    for (want, page) in [
        (
            "Founded on 2016-03-31, by Mitsui Fudosan and volunteers from academia.",
            "http://techon.nikkeibp.co.jp/atcl/feature/15/327441/060300080/",
        ),
        (
            "passed 1,000 as of 2025-12-31",
            "https://towta.co/tech/link-j%e7%89%b9%e5%88%a5%e4%bc%9a%e5%93%a1%e3%81%8c1000%e8%b6%85%e3%81%ab%e3%80%802025%e5%b9%b4%e6%9c%ab%e3%80%81%e6%97%a5%e6%9c%ac%e6%a9%8b%e7%99%ba%e3%81%ae%e3%83%a9%e3%82%a4%e3%83%95%e3%82%b5",
        ),
        (
            "13 organisations, 7 of them overseas (LINK-J's English page)",
            LJ2985E,
        ),
        ("16 organisations, 8 of them overseas", LJ3436),
        ("Announced to the press on 2016-06-03", BIZ),
        ("An advisory committee (運営諮問委員会) of 13 people", XT),
        ("the move falls between those days", LJ404),
        (
            "LINK-J WEST: LINK-J began its activities",
            "https://www.mitsuifudosan.co.jp/english/corporate/news/2020/0907/",
        ),
        ("opened the GLOBAL LIFESCIENCE HUB", MT),
    ] {
        assert!(card.contains(&squeeze(want)), "{want} not in {card}");
        let f = facts
            .iter()
            .find(|f| f["text"]["en"].as_str().unwrap().contains(want))
            .unwrap_or_else(|| panic!("{want}"));
        assert!(
            f["sources"].as_array().unwrap().iter().any(|s| s == page),
            "{want}: {page}"
        );
        // On the card, the fact's sources follow it, before the next item.
        let at = card.find(&squeeze(want)).unwrap();
        let item = &card[at..];
        let item = &item[..item.find(")-").map_or(item.len(), |e| e + 1)];
        assert!(
            item.contains(&squeeze(page)),
            "{want}: {page} not in {item}"
        );
    }
    assert!(card.contains("澤芳樹"), "the vice chair");
    assert!(card.contains("secretary-general"), "{card}");
    let seat = facts
        .iter()
        .find(|f| {
            f["text"]["en"]
                .as_str()
                .unwrap()
                .contains("Nihonbashi-Honcho")
        })
        .unwrap();
    assert_eq!(
        seat["sources"],
        serde_json::json!(["002_ca13eba282a6aa48.txt", S000, LJ404, LJ2990])
    );
}

// The 15th, placed.

const DEDUCED: &str =
    "deduced (inferred): a partner in Japan, signed between 2020-09-18 and 2021-02-05";

#[test]
fn the_15th_gap_says_what_the_counts_establish_in_every_output() {
    // list: a sign on the row and the deduction with its sources below the table.
    let list = out(&["list"]);
    let row = list
        .lines()
        .find(|l| l.trim_start().starts_with("15 "))
        .unwrap();
    assert!(
        row.contains("?*") && row.contains("(not described in the sources)"),
        "{row}"
    );
    let foot = list.lines().find(|l| l.starts_with("No. 15:")).unwrap();
    assert!(foot.contains(DEDUCED), "{foot}");
    // The counts of the Osaka, Kanagawa and Medicen pages, beside the releases.
    for s in [S000, LJ2985E, S001, LJ2990, S004, LJ3436] {
        assert!(foot.contains(s), "{s} not in {foot}");
    }
    // check.
    let check = out(&["check"]);
    let w = check
        .lines()
        .find(|l| l.contains("ordinal 15 is missing"))
        .unwrap();
    assert!(w.contains("deduced (inferred): a partner in Japan"), "{w}");
    assert!(
        w.contains(&format!(
            "(from {S000}, {LJ2985E}, {S001}, {LJ2990}, {S004}, {LJ3436})"
        )),
        "{w}"
    );
    // JSON: the hub's entry carries the gaps.
    let v = json(&["show", "LINK-J", "--json"]);
    let g = &v["gaps"][0];
    assert_eq!(g["ordinal"], 15);
    assert_eq!(
        g["deduced"]["en"],
        "a partner in Japan, signed between 2020-09-18 and 2021-02-05"
    );
    assert_eq!(
        g["sources"],
        serde_json::json!([S000, LJ2985E, S001, LJ2990, S004, LJ3436])
    );
    // It stays a gap: no partner is numbered 15.
    assert!(embedded().dataset.partners.iter().all(|p| p.ordinal != 15));
    // The timeline's row, as far as its width allows.
    let m = app(220, 40);
    let s = screen(&m);
    let row = s.lines().find(|l| l.contains("no. 15")).unwrap();
    assert!(
        row.contains(
            "no. 15: not described in the sources; deduced (inferred): a partner in Japan"
        ),
        "{row}"
    );
    // In Japanese too.
    let list = out(&["list", "--lang", "ja"]);
    assert!(
        list.contains("推定（資料からの推論）: 日本の提携先、2020-09-18～2021-02-05の間に締結"),
        "{list}"
    );
}

#[test]
fn the_15th_has_its_row_in_list_json_with_its_deduction_and_sources() {
    // list --json: the gap's row where the table has it, between the 14th and the 16th,
    // with its deduction marked and its sources.
    let v = json(&["list", "--json"]);
    let rows = v.as_array().unwrap();
    let at = rows.iter().position(|r| r["gap"] == true).unwrap();
    assert_eq!(rows.iter().filter(|r| r["gap"] == true).count(), 1);
    assert_eq!(rows[at - 1]["ordinal"], 14);
    assert_eq!(rows[at + 1]["ordinal"], 16);
    let g = &rows[at];
    assert_eq!(
        (g["ordinal"].as_u64(), g["last_ordinal"].as_u64()),
        (Some(15), Some(15))
    );
    assert!(g["id"].is_null(), "no partner is invented");
    assert_eq!(
        g["deduced_en"],
        "a partner in Japan, signed between 2020-09-18 and 2021-02-05"
    );
    assert_eq!(
        g["deduced_ja"],
        "日本の提携先、2020-09-18～2021-02-05の間に締結"
    );
    assert_eq!(g["inferred"], serde_json::json!(["deduced"]));
    assert_eq!(
        g["sources"],
        serde_json::json!([S000, LJ2985E, S001, LJ2990, S004, LJ3436])
    );
    assert!(
        g["note"]
            .as_str()
            .unwrap()
            .contains("No source names the 15th partner")
    );
    // A filtered list, as the table, has no gap rows.
    let v = json(&["list", "--json", "--region", "japan"]);
    assert!(v.as_array().unwrap().iter().all(|r| r.get("gap").is_none()));
}

#[test]
fn a_gap_citing_an_undeclared_source_is_refused() {
    let dir = std::env::temp_dir().join(format!("linkj-gap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("gap.ron");
    std::fs::write(
        &p,
        r#"Dataset(
    title: (ja: "例", en: "Example"),
    as_of: "2024",
    hub: (name: (ja: "例", en: "Ex"), short: "EX", seat: (ja: "東京", en: "Tokyo"),
        chair: (name: (ja: "山田", en: "Yamada"), role: (ja: "理事長", en: "Chair"))),
    regions: [(id: "asia", ja: "アジア", en: "Asia")],
    kinds: [(id: "u", ja: "大学", en: "University")],
    sources: [(file: "a.txt", title: (ja: "甲", en: "A"))],
    gaps: [(ordinal: 1, note: "none", deduced: Some((ja: "国内", en: "domestic")), sources: ["b.txt"])],
    partners: [(id: "x", ordinal: 2, name: (ja: "甲", en: "X"), country: "JP", region: "asia",
        place: (ja: "東京", en: "Tokyo"), kind: "u", signed: "2023", description: (ja: "例", en: "x"),
        sources: ["a.txt"])],
)"#,
    )
    .unwrap();
    let o = linkj(&["check", "--data", p.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("gap 1 cites source \"b.txt\", which the dataset does not list"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

// Names in Latin letters.

#[test]
fn every_latin_name_is_a_sources_spelling_or_marked_ours() {
    let ds = embedded().dataset;
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let people = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .flat_map(|p| p.people.iter().map(move |x| (x, &p.sources)))
        .chain(std::iter::once((&ds.hub.chair, &ds.hub.sources)))
        .chain(ds.hub.people.iter().map(|x| (x, &ds.hub.sources)));
    for (x, entry) in people {
        if x.romanised || x.name.en == x.name.ja {
            continue;
        }
        // Not ours: some source the person is cited to gives the spelling. A release is
        // read here; a page is cited by URL, so the reading of it is the dataset's.
        let cited = if x.sources.is_empty() {
            entry
        } else {
            &x.sources
        };
        let in_a_release = seeds.is_dir()
            && cited.iter().filter(|c| !c.contains("://")).any(|c| {
                std::fs::read_to_string(seeds.join(c.split(' ').next().unwrap()))
                    .is_ok_and(|t| t.contains(&x.name.en))
            });
        let on_a_page = cited.iter().any(|c| c.contains("://"));
        if !seeds.is_dir() && !on_a_page {
            // The releases live beside the project, not in it: a checkout without them
            // cannot read a release's spelling.
            continue;
        }
        assert!(
            in_a_release || on_a_page,
            "{:?} is neither a source's nor marked ours",
            x.name
        );
    }
    // Organisations: the English name is in a release the entry cites, or a fact cites
    // the page that spells it, or a note marks it ours.
    let seeds_text: Vec<(String, String)> = std::fs::read_dir(&seeds)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(e.path()).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    for p in &ds.partners {
        let in_a_release = p.sources.iter().any(|c| {
            seeds_text
                .iter()
                .any(|(f, t)| c.starts_with(f.as_str()) && t.contains(&p.name.en))
        });
        let by_a_page = p.facts.iter().any(|f| {
            f.text.en.starts_with("Its English name") && f.sources.iter().any(|c| c.contains("://"))
        });
        let ours = p.name_marks(linkj::data::Lang::En).inferred;
        if seeds_text.is_empty() && !by_a_page && !ours {
            continue;
        }
        assert!(
            in_a_release || by_a_page || ours,
            "{}: {:?} is neither a source's nor marked ours",
            p.id,
            p.name.en
        );
    }
    assert!(ds.hub.facts.iter().any(|f| f.text.en.starts_with(
        "Its English name, Life Science Innovation Network Japan, is spelled as on LINK-J's English pages"
    )));
    // The reading Nikkei gives is followed: 俊 is Takashi, not Shun.
    for args in [
        &["show", "LINK-J"][..],
        &["show", "osaka", "--json"],
        &["show", "kanagawa", "--markdown"],
        &["check"],
    ] {
        let o = out(args);
        assert!(!o.contains("Shun Ueda"), "{args:?}: {o}");
    }
}

/// The embedded dataset with Cindy Fan's spelling taken for ours and Kanagawa's English
/// name for our rendering, in a file of its own.
fn with_renderings_of_ours(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/partners.ron"))
        .unwrap();
    let fan = "name: (ja: \"シンディ・ファン\", en: \"Cindy Fan\"),";
    let text = text.replacen(fan, &format!("{fan}\n romanised: true,"), 1);
    let at = text.find("id: \"kanagawa\"").unwrap();
    let notes = at + text[at..].find("notes: [").unwrap() + "notes: [".len();
    let text = format!(
        "{}\n(kind: Inferred, field: \"name.en\", text: \"The English name is our rendering.\"),{}",
        &text[..notes],
        &text[notes..]
    );
    let path = dir.join("ours.ron");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn every_latin_name_of_the_embedded_dataset_is_a_sources_so_none_is_marked() {
    // Every Latin-letter name of the embedded dataset is a source's: no marker.
    let ds = embedded().dataset;
    let people = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .flat_map(|p| &p.people);
    assert!(people.chain(&ds.hub.people).all(|x| !x.romanised));
    for args in [
        &["show", "ucla"][..],
        &["show", "LINK-J"],
        &["check"],
        &["list"],
    ] {
        assert!(!out(args).contains("(our romanisation)"), "{args:?}");
    }
}

#[test]
fn a_romanisation_of_ours_is_marked_in_every_output_that_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = with_renderings_of_ours(dir.path());
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--data", data.as_str()]);
        out(&all)
    };
    let card = squeeze(&run(&["show", "ucla"]));
    assert!(card.contains("CindyFan(ourromanisation)"), "{card}");
    assert!(
        !card.contains("GeneD.Block(our"),
        "a release gives it: {card}"
    );
    let md = run(&["show", "ucla", "--markdown"]);
    assert!(md.contains("Cindy Fan (our romanisation)"), "{md}");
    let ja = squeeze(&run(&["show", "ucla", "--lang", "ja"]));
    assert!(ja.contains("(CindyFan（ローマ字は当方による）)"), "{ja}");
    let v: serde_json::Value = serde_json::from_str(&run(&["show", "ucla", "--json"])).unwrap();
    let fan = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"]["en"] == "Cindy Fan")
        .unwrap();
    assert_eq!(fan["romanised"], true);
    // The browser's detail pane.
    let loaded = linkj::data::load_file(std::path::Path::new(&data)).unwrap();
    let mut m = on(loaded, (200, 100), &linkj::app::Options::default());
    typ(&mut m, "/ucla");
    key(&mut m, crossterm::event::KeyCode::Enter);
    assert!(squeeze(&screen(&m)).contains("CindyFan(our"));
}

#[test]
fn an_english_name_of_ours_is_marked_in_every_output_that_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = with_renderings_of_ours(dir.path());
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--data", data.as_str()]);
        out(&all)
    };
    // An organisation's English name of ours: after the name wherever it is shown.
    let card = run(&["show", "kanagawa"]);
    assert!(
        card.starts_with("Kanagawa Prefecture [inferred]\n神奈川県\n"),
        "{card}"
    );
    let ja = run(&["show", "kanagawa", "--lang", "ja"]);
    assert!(
        ja.starts_with("神奈川県\nKanagawa Prefecture [推定]\n"),
        "{ja}"
    );
    let md = run(&["show", "kanagawa", "--markdown"]);
    assert!(
        md.starts_with("## Kanagawa Prefecture (inferred)\n"),
        "{md}"
    );
    let list = run(&["list"]);
    assert!(list.contains(" Kanagawa Prefecture* "), "{list}");
    // The Japanese name is the sources': unmarked in a Japanese list.
    let list = run(&["list", "--lang", "ja"]);
    assert!(list.contains(" 神奈川県 "), "{list}");
    let v: serde_json::Value = serde_json::from_str(&run(&["list", "--json"])).unwrap();
    let k = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "kanagawa")
        .unwrap();
    assert!(
        k["inferred"]
            .as_array()
            .unwrap()
            .contains(&"name.en".into()),
        "{k}"
    );
}
