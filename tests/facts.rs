//! Every fact as the sources say it, in every output: people found by name in either
//! script and spelling, the hub's own card, markers that never disappear, and the
//! wording the releases use (issue 16). The binary is run as a user runs it; the
//! browser is driven with keys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use common::*;
use crossterm::event::KeyCode;

// People are searchable.

#[test]
fn people_are_found_by_name_in_both_scripts_and_the_hit_says_so() {
    for (q, ids, who) in [
        ("曽山", &["ucla", "yokohama", "mpr"][..], "person: 曽山明彦"),
        (
            "Soyama",
            &["ucla", "yokohama", "mpr"],
            "person: Akihiko Soyama",
        ),
        ("Leygues", &["mpr"], "person: Jessica Leygues"),
        ("首藤健治", &["kanagawa"], "person: 首藤健治"),
    ] {
        let s = out(&["search", q]);
        for id in ids {
            let e = json(&["search", q, "--json"]);
            let found: Vec<&str> = e
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|x| x["id"].as_str())
                .collect();
            assert!(found.contains(id), "{q}: {id} not in {found:?}");
        }
        assert!(s.contains(who), "{q}:\n{s}");
    }
    // A person's organisation, in their role, finds them too.
    let s = out(&["search", "三井不動産"]);
    assert!(s.contains("Kanagawa Prefecture"), "{s}");
    assert!(s.contains("person: Takashi Ueda, "), "{s}");
}

#[test]
fn variant_kanji_find_each_other() {
    // 004 writes 曾山, 002 and 003 write 曽山: one person, found either way.
    for q in ["曾山", "曽山", "曾山明彦"] {
        let e = json(&["search", q, "--json"]);
        let ids: Vec<&str> = e
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["id"].as_str())
            .collect();
        for want in ["ucla", "yokohama", "mpr"] {
            assert!(ids.contains(&want), "{q}: {ids:?}");
        }
    }
    // 澤芳樹 (Osaka's release) is found by the common form 沢.
    let s = out(&["search", "沢芳樹"]);
    assert!(s.contains("Osaka Prefecture"), "{s}");
}

#[test]
fn a_partner_named_by_the_query_ranks_above_a_person_of_that_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.ron");
    std::fs::write(
        &path,
        r#"Dataset(
    title: (ja: "例", en: "Example"),
    as_of: "2024",
    hub: (
        name: (ja: "例ハブ", en: "Example Hub"),
        short: "EH",
        seat: (ja: "東京", en: "Tokyo"),
        chair: (name: (ja: "山田太郎", en: "Taro Yamada"), role: (ja: "理事長", en: "Chair")),
    ),
    regions: [(id: "asia", ja: "アジア", en: "Asia")],
    kinds: [(id: "foundation", ja: "財団", en: "Foundation")],
    partners: [
        (id: "signed-by-tanaka", ordinal: 1, name: (ja: "北財団", en: "North Foundation"),
         country: "JP", region: "asia", place: (ja: "東京", en: "Tokyo"), kind: "foundation",
         signed: "2020", description: (ja: "例", en: "x"), sources: [],
         people: [(name: (ja: "田中一郎", en: "Ichiro Tanaka"), role: (ja: "理事", en: "Director"), pictured: true)]),
        (id: "tanaka", ordinal: 2, name: (ja: "田中財団", en: "Tanaka Foundation"),
         country: "JP", region: "asia", place: (ja: "東京", en: "Tokyo"), kind: "foundation",
         signed: "2021", description: (ja: "例", en: "x"), sources: []),
    ],
)"#,
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let s = out(&["search", "tanaka", "--data", p]);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 2, "{s}");
    assert!(lines[0].contains("Tanaka Foundation"), "{s}");
    assert!(
        lines[1].contains("North Foundation  = person: Ichiro Tanaka"),
        "{s}"
    );
    // The browser says the same on the row.
    let opts = linkj::app::Options::default();
    let loaded = linkj::data::load_file(&path).unwrap();
    let mut m = on(loaded, (120, 30), &opts);
    typ(&mut m, "/tanaka");
    assert!(
        selected_line(&m).contains("Tanaka Foundation"),
        "{}",
        screen(&m)
    );
    assert!(
        screen(&m).contains("North Foundation  = person: Ichiro"),
        "{}",
        screen(&m)
    );
}

#[test]
fn show_soyama_opens_the_hub_where_he_is_secretary_general_not_a_fuzzy_place() {
    let card = out(&["show", "Soyama"]);
    assert!(
        card.starts_with("Life Science Innovation Network Japan"),
        "{card}"
    );
    assert!(!card.contains("Keio"), "{card}");
    assert!(
        squeeze(&card).contains(&squeeze(
            "Akihiko Soyama (曽山明彦), LINK-J director and secretary-general"
        )),
        "{card}"
    );
}

// The hub has a card.

#[test]
fn show_link_j_and_its_reading_open_the_hubs_card_with_its_markers() {
    for q in ["LINK-J", "リンクジェイ", "岡野栄之"] {
        let card = out(&["show", q]);
        assert!(
            card.starts_with(
                "Life Science Innovation Network Japan\n一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン\n"
            ),
            "{q}: {card}"
        );
        let flat = squeeze(&card);
        for want in [
            "SeatNihonbashi-Muromachi,Chuo-ku,Tokyo[sourcesdisagree]",
            "ChairHideyukiOkano(岡野栄之),Chairoftheboard",
            "YoshikiSawa(澤芳樹),LINK-Jvicechair",
            "\"東京都中央区日本橋本町\"(https://www.link-j.org/news/post-404.html,https://www.mitsuifudosan.co.jp/corporate/news/2018/0831/,002_ca13eba282a6aa48.txt,003_b05a6d7050e9df95.txt)",
            "\"三井不動産株式会社とアカデミア有志\"",
            "partnershipswith10organisations,6ofthemoverseas",
            "partnershipswith16organisations,8ofthemoverseas",
            "No.15:notdescribedinthesources:Nosourcenamesthe15thpartner.",
            "[inferred]as_of:",
        ] {
            assert!(flat.contains(want), "{q}: missing {want:?} in\n{card}");
        }
    }
    // Osaka's alias LINK-J WEST no longer wins.
    assert!(!out(&["show", "LINK-J"]).contains("Osaka Prefecture\n"));
    let j = json(&["show", "LINK-J", "--json"]);
    assert_eq!(j["hub"]["short"], "LINK-J");
    assert_eq!(j["hub"]["notes"][0]["field"], "seat");
    assert_eq!(j["gaps"][0]["ordinal"], 15);
    let md = out(&["show", "LINK-J", "--markdown"]);
    assert!(
        md.contains("- **Seat:** Nihonbashi-Muromachi, Chuo-ku, Tokyo (sources disagree)"),
        "{md}"
    );
    assert!(md.contains("### Gaps in the numbering"), "{md}");
    // In the list of matches, marked as the hub.
    let s = out(&["search", "LINK-J"]);
    assert!(
        s.lines()
            .next()
            .unwrap()
            .contains("hub         Life Science Innovation Network Japan (LINK-J)  [the hub]"),
        "{s}"
    );
    let e = json(&["search", "岡野栄之", "--json"]);
    assert_eq!(e[0]["hub"], true);
    assert_eq!(e[0]["matched"], "person: 岡野栄之");
}

#[test]
fn the_hub_has_a_row_and_a_key_in_the_browser_and_a_line_in_help() {
    let mut m = app(120, 40);
    let s = screen(&m);
    let hub_row = s.lines().nth(4).unwrap();
    assert!(
        hub_row.contains("LINK-J") && hub_row.contains("Life Science Innovation Network Japan"),
        "{s}"
    );
    assert!(hub_row.contains("│  LINK-J [h]"), "{s}");
    assert!(hub_row.contains("[the hub]"), "{s}");
    // The key.
    typ(&mut m, "h");
    assert!(m.hub_selected());
    let s = screen(&m);
    assert!(s.contains("┌ LINK-J "), "{s}");
    assert!(s.contains("Seat     Nihonbashi-Muromachi, Chuo-ku,"), "{s}");
    assert!(s.contains("│> LINK-J"), "{s}");
    moves_and_clicks_reach_the_hub(&mut m);
    // Help lists the key.
    typ(&mut m, "?");
    assert!(
        screen(&m).contains("the hub: LINK-J's own card"),
        "{}",
        screen(&m)
    );
    // Typing the hub's name selects its row, as the best match is.
    let mut m = app(120, 40);
    typ(&mut m, "/リンクジェイ");
    assert!(m.hub_selected(), "{}", screen(&m));
    key(&mut m, KeyCode::Esc);
    typ(&mut m, "/kobe");
    assert!(!m.hub_selected());
}

/// From the hub's row (selected): down, up, `h`, a click and `y`.
fn moves_and_clicks_reach_the_hub(m: &mut linkj::session::Session) {
    let m = &mut *m;
    // Down goes to the first partner, up from it back to the hub.
    typ(m, "j");
    assert!(!m.hub_selected());
    assert!(selected_line(m).contains("(UCSD)"), "{}", screen(m));
    typ(m, "k");
    assert!(m.hub_selected());
    typ(m, "h");
    assert!(!m.hub_selected());
    // A click on the row.
    linkj::update::update(m, linkj::action::Action::Click { x: 10, y: 4 });
    assert!(m.hub_selected());
    // y copies the hub's summary.
    typ(m, "y");
    assert!(screen(m).contains("summary of LINK-J sent to the terminal"));
}

#[test]
fn check_reports_no_warning_a_user_cannot_also_see_in_the_browser() {
    let loaded = embedded();
    let ds = &loaded.dataset;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let catalog = linkj::catalog::Catalog::without_index(loaded.clone());
    let hub = squeeze(&linkj::ui::hub_card(&catalog, linkj::data::Lang::En, 60).join("\n"));
    assert!(!loaded.warnings.is_empty());
    for w in &loaded.warnings {
        let card = match &w.partner {
            Some(id) if id != &ds.hub.short => {
                let p = ds
                    .partners
                    .as_slice()
                    .unwrap()
                    .iter()
                    .find(|p| &p.id == id)
                    .unwrap();
                squeeze(&linkj::ui::detail_card(ds, p, linkj::data::Lang::En, 60, today).join("\n"))
            }
            // The hub's notes, the dataset's and the gaps are on the hub's card.
            _ => hub.clone(),
        };
        // The warning's sentence, without the field name and readings check adds.
        let text = match w
            .message
            .strip_prefix("ordinal 15 is missing: no entry describes that partnership (")
        {
            Some(t) => t.strip_suffix(')').unwrap(),
            None => w.message.split_once(": ").map_or(&*w.message, |x| x.1),
        };
        let text = text.split(" [readings: ").next().unwrap();
        assert!(
            card.contains(&squeeze(text)),
            "{w}\nis not on the card of {:?}",
            w.partner
        );
    }
}

// Markers never disappear.

#[test]
fn list_marks_inferred_and_disputed_values_with_a_legend() {
    let s = out(&["list"]);
    let row = |id: &str| {
        s.lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} in\n{s}"))
            .to_string()
    };
    assert!(
        row("Medicen Paris Region").starts_with("16   2021-02-05*"),
        "{s}"
    );
    assert!(
        row("Osaka Prefecture").starts_with("13   2020-09-07*"),
        "{s}"
    );
    assert!(
        row("Foundation for Biomedical").starts_with(" 6*  2018-01!"),
        "{s}"
    );
    assert!(row("One Nucleus!").starts_with(" 5*  2017-12 "), "{s}");
    assert!(
        row("City of Yokohama").starts_with("11   2019-08-30 "),
        "{s}"
    );
    assert!(
        s.ends_with("\n* inferred, ! sources disagree (linkj show ID gives the notes)\n"),
        "{s}"
    );
}

#[test]
fn list_json_names_the_inferred_and_disputed_fields() {
    let a = json(&["list", "--json"]);
    let entry = |id: &str| {
        a.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    let mpr = entry("mpr");
    assert_eq!(mpr["signed"], "2021-02-05");
    assert_eq!(mpr["inferred"], serde_json::json!(["signed", "scope"]));
    // 曾山 (004) and 曽山 (LINK-J's own page of the MOU).
    assert_eq!(mpr["disputed"], serde_json::json!(["people"]));
    let kobe = entry("fbri-kobe");
    assert!(
        kobe["disputed"]
            .as_array()
            .unwrap()
            .contains(&"signed".into())
    );
    assert!(
        kobe["inferred"]
            .as_array()
            .unwrap()
            .contains(&"place".into())
    );
    let ucla = entry("ucla");
    assert!(
        ucla["inferred"]
            .as_array()
            .unwrap()
            .contains(&"signed".into())
    );
    let yokohama = entry("yokohama");
    assert_eq!(yokohama["inferred"], serde_json::json!([]));
    assert_eq!(yokohama["disputed"], serde_json::json!(["scope"]));
}

#[test]
fn checks_summary_says_whose_dates_they_are_and_which_is_inferred() {
    let s = out(&["check"]);
    assert!(
        s.contains("signed from 2016-05 (ucsd) to 2021-02-05 (mpr; inferred)\n"),
        "{s}"
    );
}

#[test]
fn show_markdown_words_every_marker_and_keeps_the_notes() {
    let md = out(&["show", "kobe", "--markdown"]);
    for want in [
        "- **Signed:** 2018-01 (sources disagree)",
        "- **Place:** Kobe, Hyogo Prefecture, Japan (JP) (inferred)",
        "### Conflicting and inferred facts",
        "\\[sources disagree\\] signed: The history table in 000 and LINK-J's own page on this MOU say January 2018",
        "\"2018年1月\" (000\\_e6dfab02338f65d4.txt (table), https://www.link-j.org/news/post-404.html)",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    let md = out(&["show", "mpr", "--markdown"]);
    assert!(md.contains("- **Signed:** 2021-02-05 (inferred)"), "{md}");
    // Japanese too.
    let md = out(&["show", "mpr", "--markdown", "--lang", "ja"]);
    assert!(md.contains("- **締結:** 2021年2月5日（推定）"), "{md}");
    // What y copies is the same Markdown, word for word.
    let mut m = app(120, 40);
    typ(&mut m, "/kobe");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "y");
    let text = decode_osc52(&m.take_outbox()[0]);
    assert!(
        text.contains("- **Signed:** 2018-01 (sources disagree)"),
        "{text}"
    );
    assert_eq!(
        text,
        out(&["show", "kobe", "--markdown", "--as-of", "2026-06-01"])
    );
}

#[test]
fn the_timeline_marks_inferred_and_disputed_dates() {
    let m = app(120, 40);
    let s = screen(&m);
    let row = |name: &str| s.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(row("Medicen Paris").contains("16  2021-02-05*"), "{s}");
    assert!(row("Foundation for Bio").contains(" 6* 2018-01!"), "{s}");
    assert!(row("City of Yokohama").contains("11  2019-08-30 "), "{s}");
}

#[test]
fn statuses_past_their_term_are_past_term_not_ended() {
    let a = json(&["list", "--json", "--as-of", "2025-01-01"]);
    let ucla = a
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "ucla")
        .unwrap();
    assert_eq!(ucla["status"], "past_term");
    assert!(
        !out(&["list", "--json", "--as-of", "2030-01-01"]).contains("\"ended\""),
        "no status says ended"
    );
    let s = out(&["list", "--status", "past_term", "--as-of", "2025-01-01"]);
    assert!(s.contains("University of California, Los Angeles"), "{s}");
    let o = linkj(&["list", "--status", "ended"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("active, ending, past_term, unknown"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

// Claims the sources do not make.

#[test]
fn caption_people_are_pictured_not_signatories() {
    let md = out(&["show", "yokohama", "--markdown"]);
    assert!(!md.contains("Signed by"), "{md}");
    assert!(
        md.contains("Akio Ozawa (小澤明夫), Executive Director for Life Innovation"),
        "{md}"
    );
    assert!(
        md.contains("pictured in the release's photo, quoted"),
        "{md}"
    );
    let card = out(&["show", "yokohama"]);
    assert!(card.contains("pictured"), "{card}");
    assert!(!card.contains("at the signing"), "{card}");
    let j = json(&["show", "mpr", "--json"]);
    assert_eq!(j["people"][1]["pictured"], true);
    assert!(j["people"][1].get("at_signing").is_none());
    // Eleven people are named in the releases' captions and two in that of the Kawasaki
    // release (Mitsui Fudosan's page); Gene D. Block only in UCLA's lede.
    let ds = embedded().dataset;
    let pictured = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .flat_map(|p| &p.people)
        .filter(|x| x.pictured);
    assert_eq!(pictured.count(), 13);
    let ucla = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .find(|p| p.id == "ucla")
        .unwrap();
    assert!(
        !ucla
            .people
            .iter()
            .find(|x| x.name.en == "Gene D. Block")
            .unwrap()
            .pictured
    );
}

#[test]
fn no_order_for_ucsd_and_biocom_and_inferred_places_and_kinds_are_marked() {
    let card = out(&["show", "ucsd"]);
    assert!(!card.contains("first partner"), "{card}");
    assert!(
        squeeze(&card).contains("nosourcesayswhichcamefirst"),
        "{card}"
    );
    assert!(
        squeeze(&card).contains("SanDiego,California,UnitedStates(US)[inferred]"),
        "{card}"
    );
    let card = out(&["show", "biocom"]);
    assert!(
        squeeze(&card).contains("SanDiego,California,UnitedStates(US)[inferred]"),
        "{card}"
    );
    let card = out(&["show", "oui"]);
    assert!(
        card.contains("Kind     Technology transfer [inferred]"),
        "{card}"
    );
    assert!(
        squeeze(&card).contains("Oxford,England,UnitedKingdom(GB)[inferred]"),
        "{card}"
    );
}

// Wrong or distorted wordings.

#[test]
fn wordings_follow_the_releases() {
    let card = out(&["show", "one nucleus"]);
    assert!(
        squeeze(&card).contains("Europe'slargest-scalelife-scienceorganisation"),
        "{card}"
    );
    assert!(!card.contains("One of Europe"), "{card}");
    assert!(!card.contains("membership"), "{card}");
    // UCLA's date: 003 does not have 2019年6月; the note names the releases that do.
    let card = squeeze(&out(&["show", "ucla"]));
    assert!(
        card.contains("\"2019年6月\"(000_e6dfab02338f65d4.txt(table),001_2e0c3428fe68af4f.txt,002_ca13eba282a6aa48.txt)"),
        "{card}"
    );
    assert!(!card.contains("everydocument"), "{card}");
    instruments_and_organisations_as_the_releases_name_them();
}

fn instruments_and_organisations_as_the_releases_name_them() {
    // Kanagawa's list ends in など.
    let card = out(&["show", "kanagawa"]);
    assert!(card.contains(" - and more (等)"), "{card}");
    // The instrument each release names.
    let card = out(&["show", "osaka"]);
    assert!(
        card.contains("Document Mutual partnership memorandum"),
        "{card}"
    );
    assert!(
        card.contains(
            "000_e6dfab02338f65d4.txt: LINK-J signs a mutual partnership memorandum with"
        ),
        "{card}"
    );
    let card = out(&["show", "osaka", "--lang", "ja"]);
    assert!(card.contains("文書   相互提携の覚書"), "{card}");
    let card = out(&["show", "yokohama"]);
    assert!(
        card.contains("Document MOU (memorandum on partnership)"),
        "{card}"
    );
    let card = squeeze(&out(&["show", "kawasaki"]));
    assert!(
        card.contains("DocumentPartnershipmemorandum[sourcesdisagree]"),
        "{card}"
    );
    assert!(
        card.contains("\"業務提携の覚書\"(003_b05a6d7050e9df95.txt)"),
        "{card}"
    );
    // Organisations (団体), not "industry" or "cluster" organisations.
    for (q, want) in [
        (
            "biocom",
            "Life-science organisation (団体) in San Diego, USA.",
        ),
        (
            "eurobiomed",
            "Life-science organisation (団体) of the South of France.",
        ),
    ] {
        let card = out(&["show", q]);
        assert!(card.contains(want), "{card}");
        assert!(!card.contains("industry organisation"), "{card}");
    }
}

// Facts that were missing.

#[test]
fn the_facts_a_meeting_asks_about_are_on_the_cards_with_their_sources() {
    let ucla = squeeze(&out(&["show", "ucla"]));
    for want in [
        "On2019-05-16LINK-Jheld,withUCLAHealth,the\"LINK-JNetworkingReceptionUCLAHealth:PartneringwithIndustrytoAdvanceHealthcare\".(003_b05a6d7050e9df95.txt)",
        "partnershipswith10organisations,6ofthemoverseas(UCLAthe10th)",
        "9thintheTimesHigherEducationWorldReputationRanking(2018)",
        "9USNationalMedalofSciencelaureates",
    ] {
        assert!(ucla.contains(want), "missing {want:?} in {ucla}");
    }
    let mpr = squeeze(&out(&["show", "mpr"]));
    for want in [
        "Webhttps://medicen.org/en/",
        "biologicaldiagnostics,diagnosticandinterventionalimaging",
        "about500start-upsandSMEs,40largecompaniesand34academic",
        "nearly21billioneurosofinvestmentand864millioneurosofpublicfunding",
    ] {
        assert!(mpr.contains(want), "missing {want:?} in {mpr}");
    }
    let kanagawa = squeeze(&out(&["show", "kanagawa"]));
    assert!(
        kanagawa.contains("sponsoring(協賛)eventshostedby神奈川県立保健福祉大学"),
        "{kanagawa}"
    );
    assert!(
        kanagawa.contains("aLINK-Jspecialmember(特別会員)"),
        "{kanagawa}"
    );
    let osaka = squeeze(&out(&["show", "osaka"]));
    assert!(
        osaka.contains("[sourcesdisagree]scope:Thetablein000"),
        "{osaka}"
    );
    assert!(
        osaka.contains(
            "国内外バイオクラスター等との連携推進を目指します\"(000_e6dfab02338f65d4.txt(prose))"
        ),
        "{osaka}"
    );
}

#[test]
fn every_added_fact_cites_a_declared_source_and_its_japanese_is_in_that_source() {
    // The Japanese of a fact is the release's wording where it can be; at least its
    // figures and names appear in the source cited.
    let ds = embedded().dataset;
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let facts = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .flat_map(|p| &p.facts)
        .chain(&ds.hub.facts);
    for f in facts {
        assert!(!f.sources.is_empty(), "{f:?}");
        for s in &f.sources {
            assert!(ds.source(s).is_some(), "{s} is not declared");
        }
        if !seeds.is_dir() {
            continue;
        }
        // Pages are cited by URL and not stored here; the releases are read.
        if f.sources.iter().all(|s| s.contains("://")) {
            continue;
        }
        let cited: String = f
            .sources
            .iter()
            .filter(|s| !s.contains("://"))
            .map(|s| std::fs::read_to_string(seeds.join(s.split(' ').next().unwrap())).unwrap())
            .collect::<String>()
            .split_whitespace()
            .collect();
        for number in f
            .text
            .ja
            .split(|c: char| !c.is_ascii_digit() && c != '.')
            .filter(|n| n.len() >= 2 && n.chars().all(|c| c.is_ascii_digit()))
        {
            assert!(
                cited.contains(number),
                "{number} of {:?} is not in {:?}",
                f.text.ja,
                f.sources
            );
        }
    }
}

// Sources may be pages.

#[test]
fn a_source_may_be_a_public_page_and_a_bad_one_is_refused_with_its_place() {
    let base = |sources: &str, cite: &str| {
        format!(
            r#"Dataset(
    title: (ja: "例", en: "Example"),
    as_of: "2024",
    hub: (
        name: (ja: "例ハブ", en: "Example Hub"),
        short: "EH",
        seat: (ja: "東京", en: "Tokyo"),
        chair: (name: (ja: "山田太郎", en: "Taro Yamada"), role: (ja: "理事長", en: "Chair")),
    ),
    regions: [(id: "asia", ja: "アジア", en: "Asia")],
    kinds: [(id: "foundation", ja: "財団", en: "Foundation")],
    sources: [{sources}],
    partners: [
        (id: "north", ordinal: 1, name: (ja: "北財団", en: "North Foundation"),
         country: "JP", region: "asia", place: (ja: "東京", en: "Tokyo"), kind: "foundation",
         signed: "2020", description: (ja: "例", en: "x"), sources: [{cite}],
         facts: [(text: (ja: "例", en: "An example fact."), sources: [{cite}])]),
    ],
)"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.ron");
    let page = r#"(url: Some("https://example.org/news/1"), publisher: Some((ja: "例", en: "Example Org")), date: Some("2020-05-01"), title: (ja: "例", en: "The news page"))"#;
    std::fs::write(&path, base(page, r#""https://example.org/news/1""#)).unwrap();
    let p = path.to_str().unwrap();
    let card = out(&["show", "north", "--data", p]);
    assert!(
        card.contains(" - https://example.org/news/1: The news page"),
        "{card}"
    );
    assert!(
        card.contains("An example fact. (https://example.org/news/1)"),
        "{card}"
    );
    for (bad, says) in [
        (
            r#"(url: Some("javascript:alert(1)"), title: (ja: "例", en: "Bad"))"#,
            "a url is http:// or https:// followed by printable ASCII",
        ),
        (
            r#"(file: "a.txt", url: Some("https://example.org/"), title: (ja: "例", en: "Both"))"#,
            "a source is one or the other",
        ),
        (
            r#"(title: (ja: "例", en: "Neither"))"#,
            "has neither a file nor a url",
        ),
    ] {
        std::fs::write(&path, base(bad, r#""https://example.org/news/1""#)).unwrap();
        let o = linkj(&["check", "--data", p]);
        assert!(!o.status.success());
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(says), "{e}");
        assert!(e.contains("pages.ron:12:"), "{e}");
    }
    // A fact citing an undeclared source.
    std::fs::write(&path, base(page, r#""https://example.org/other""#)).unwrap();
    let o = linkj(&["check", "--data", p]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("which the dataset does not list"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
