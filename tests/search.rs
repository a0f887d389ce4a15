//! Search as a person in a meeting types it: romaji, kana, kanji, English, full-width,
//! mixed scripts, typos and partial words. Each query has the partner that must come first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use linkj::data::{Dataset, Lang, load_embedded};
use linkj::search::{Field, Index};

fn ranked(ds: &Dataset, index: &Index, q: &str) -> Vec<String> {
    let all: Vec<usize> = (0..ds.partners.len()).collect();
    index
        .rank(&all, q)
        .iter()
        .map(|h| ds.partners.get(h.partner).unwrap().id.clone())
        .collect()
}

const TOP: &[(&str, &str)] = &[
    // English and short names
    ("ucla", "ucla"),
    ("ucsd", "ucsd"),
    ("krp", "krp"),
    ("oui", "oui"),
    ("mpr", "mpr"),
    ("medcity", "medcity"),
    ("one nucleus", "one-nucleus"),
    ("biocom", "biocom"),
    ("eurobiomed", "eurobiomed"),
    ("oxford", "oui"),
    ("paris", "mpr"),
    ("cambridge", "one-nucleus"),
    ("los angeles", "ucla"),
    // Partial words
    ("yoko", "yokohama"),
    ("medi", "mpr"),
    ("kana", "kanagawa"),
    ("euro", "eurobiomed"),
    ("san diego", "ucsd"),
    // Romaji
    ("kobe", "fbri-kobe"),
    ("osaka", "osaka"),
    ("kyoto", "krp"),
    ("kawasaki", "kawasaki"),
    ("kanagawa", "kanagawa"),
    ("tsuruoka", "keio-iab"),
    ("keio", "keio-iab"),
    // Kanji
    ("横浜", "yokohama"),
    ("大阪", "osaka"),
    ("神戸", "fbri-kobe"),
    ("京都", "krp"),
    ("川崎", "kawasaki"),
    ("慶應", "keio-iab"),
    ("先端医療振興財団", "fbri-kobe"),
    ("神奈川県", "kanagawa"),
    // Kana, hiragana folded to katakana
    ("オックスフォード", "oui"),
    ("よこはま", "yokohama"),
    ("ヨコハマ", "yokohama"),
    ("おおさか", "osaka"),
    ("けいおう", "keio-iab"),
    ("めでぃせん", "mpr"),
    ("パリ", "mpr"),
    ("サンディエゴ", "ucsd"),
    ("ゆーろばいおめっど", "eurobiomed"),
    // Full-width and half-width
    ("ＵＣＬＡ", "ucla"),
    ("ｙｏｋｏｈａｍａ", "yokohama"),
    ("ﾒﾃﾞｨｾﾝ", "mpr"),
    ("ｵｵｻｶ", "osaka"),
    // Mixed scripts
    ("UCLA ロサンゼルス", "ucla"),
    ("横浜 city", "yokohama"),
    ("kobe 財団", "fbri-kobe"),
    // Typos
    ("oxfrod", "oui"),
    ("yokohma", "yokohama"),
    ("kanagwa", "kanagawa"),
    ("medicne", "mpr"),
    ("eurobiomde", "eurobiomed"),
    // Places, countries, regions, kinds
    ("london", "medcity"),
    ("marseille", "eurobiomed"),
    ("北米", "ucsd"),
    ("local government", "kawasaki"),
];

#[test]
fn each_query_puts_the_expected_partner_first() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    let mut failures = Vec::new();
    for (q, want) in TOP {
        let got = ranked(&ds, &index, q);
        if got.first().map(String::as_str) != Some(*want) {
            failures.push(format!(
                "{q:?}: want {want}, got {:?}",
                &got[..got.len().min(4)]
            ));
        }
    }
    assert!(TOP.len() >= 30);
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        TOP.len(),
        failures.join("\n")
    );
}

#[test]
fn short_names_beat_scattered_matches() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    let r = ranked(&ds, &index, "ucla");
    let ucla = r.iter().position(|i| i == "ucla").expect("ucla");
    let ucsd = r.iter().position(|i| i == "ucsd");
    assert!(ucsd.is_none_or(|u| u > ucla));
}

#[test]
fn country_words_list_that_countrys_partners_first() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    for (q, country) in [
        ("france", "FR"),
        ("フランス", "FR"),
        ("仏", "FR"),
        ("uk", "GB"),
        ("英国", "GB"),
        ("イギリス", "GB"),
        ("アメリカ", "US"),
    ] {
        let r = ranked(&ds, &index, q);
        let expected = ds
            .partners
            .as_slice()
            .unwrap()
            .iter()
            .filter(|p| p.country == country)
            .count();
        let first: Vec<&str> = r[..expected]
            .iter()
            .map(|id| {
                ds.partners
                    .as_slice()
                    .unwrap()
                    .iter()
                    .find(|p| &p.id == id)
                    .map_or("", |p| p.country.as_str())
            })
            .collect();
        assert!(first.iter().all(|c| *c == country), "{q}: {r:?}");
    }
}

#[test]
fn several_terms_must_all_match() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    assert_eq!(ranked(&ds, &index, "university los")[0], "ucla");
    assert!(ranked(&ds, &index, "ucla kanagawa").is_empty());
    let both = ranked(&ds, &index, "'california univ");
    assert_eq!(both, ["ucsd", "ucla"], "ties keep date order");
}

#[test]
fn exclusion_exact_and_prefix_syntax() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    // !term drops every partner with the term anywhere.
    let not_japan = ranked(&ds, &index, "!japan");
    assert_eq!(not_japan.len(), 8);
    assert!(!not_japan.contains(&"osaka".to_string()));
    // 'term needs the letters together: "oxfd" is a fuzzy match of Oxford but not a substring.
    assert!(ranked(&ds, &index, "oxfd").contains(&"oui".to_string()));
    assert!(ranked(&ds, &index, "'oxfd").is_empty());
    assert_eq!(ranked(&ds, &index, "'nucleus"), ["one-nucleus"]);
    // ^term needs a field to start with it.
    let caret = ranked(&ds, &index, "^city");
    assert!(caret.contains(&"yokohama".to_string()) && caret.contains(&"kawasaki".to_string()));
    assert!(!caret.contains(&"medcity".to_string()));
    // Combined.
    assert_eq!(ranked(&ds, &index, "^city !kawasaki"), ["yokohama"]);
}

#[test]
fn highlights_land_on_the_original_characters() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    let all: Vec<usize> = (0..ds.partners.len()).collect();
    let hit = |q: &str| index.rank(&all, q).into_iter().next().expect("hit");

    // Kanji inside a Japanese name.
    let h = hit("法人神戸");
    assert_eq!(ds.partners.get(h.partner).unwrap().id, "fbri-kobe");
    assert_eq!(h.marks_in(Field::Name(Lang::Ja)), &[4, 5, 6, 7]);

    // Hiragana query lights up the katakana alias.
    let h = hit("おっくすふぉーど");
    let p = &ds.partners.get(h.partner).unwrap();
    let (f, marks) = h
        .other_field(&[Field::Name(Lang::En), Field::Short])
        .expect("field");
    let text = linkj::search::field_text(&ds, &**p, f).expect("text");
    let lit: String = text
        .chars()
        .enumerate()
        .filter(|(i, _)| marks.contains(i))
        .map(|(_, c)| c)
        .collect();
    assert_eq!(lit, "オックスフォード");

    // Full-width query on a Latin short name.
    let h = hit("ＵＣＬ");
    assert_eq!(h.marks_in(Field::Short), &[0, 1, 2]);

    // Half-width kana: two input characters compose into one, marks map back to both.
    let h = hit("ﾒﾃﾞｨｾﾝ");
    let p = &ds.partners.get(h.partner).unwrap();
    let (f, marks) = h
        .other_field(&[Field::Name(Lang::En), Field::Short])
        .expect("field");
    assert_eq!(linkj::search::field_text(&ds, &**p, f), Some("メディセン"));
    assert_eq!(marks, &[0, 1, 2, 3, 4]);
}

#[test]
fn empty_and_blank_queries_keep_date_order() {
    let ds = load_embedded().expect("data").dataset;
    let index = Index::new(&ds);
    let all: Vec<String> = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(ranked(&ds, &index, ""), all);
    assert_eq!(ranked(&ds, &index, "   "), all);
    assert_eq!(ranked(&ds, &index, "!"), all);
}

#[test]
fn highlights_in_text_that_normalising_reshapes_land_on_its_characters() {
    // Haystacks whose normalised text has other characters than the field (a
    // ligature becomes two or three letters) keep a position map: a match's marks must
    // land on the field's own characters, each haystack with its own map.
    let mut ron = Vec::new();
    linkj::synth::write_dataset(&mut ron, 400, 23).expect("generate");
    let ron = String::from_utf8(ron)
        .expect("utf-8")
        .replace("Kobe", "Ko\u{FB01}be")
        .replace("Osaka", "\u{FB03}\u{FB03}Osaka");
    let ds = linkj::data::load_bytes(ron.as_bytes(), "gen.ron")
        .expect("valid")
        .dataset;
    let index = Index::new(&ds);
    let all: Vec<usize> = (0..ds.partners.len()).collect();
    let mut checked = 0;
    let queries = [("ofib", "o\u{FB01}b"), ("ffiosa", "\u{FB03}Osa")];
    for (q, want) in queries {
        let hits = index.rank(&all, q);
        assert!(hits.len() > 3, "{q}: {} hits", hits.len());
        for h in hits
            .iter()
            .filter(|h| !h.marks_in(Field::Name(Lang::En)).is_empty())
        {
            let p = ds.partners.get(h.partner).unwrap();
            let text = linkj::search::field_text(&ds, &*p, Field::Name(Lang::En)).unwrap();
            if text.is_ascii() {
                continue;
            }
            let marks = h.marks_in(Field::Name(Lang::En));
            let lit: String = (text.chars().enumerate())
                .filter(|(i, _)| marks.contains(i))
                .map(|(_, c)| c)
                .collect();
            assert_eq!(lit, want, "{q} in {text:?}");
            checked += 1;
        }
    }
    assert!(checked > 6, "{checked} names checked");
}
