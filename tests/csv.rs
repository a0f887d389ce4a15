//! CSV for spreadsheets: `list --csv` and `search --csv` carry the same columns and
//! values as their JSON, then the inferred and disputed markers; `--excel` adds a BOM
//! and keeps dataset text from being taken for a formula.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::process::{Command, Output};

fn linkj(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env("LINKJ_CONFIG", "/dev/null")
        .output()
        .expect("run linkj")
}

fn stdout(args: &[&str]) -> String {
    let o = linkj(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

/// The header and the rows of a CSV text.
fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("a record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A JSON value as its CSV cell: strings as they are, null empty, numbers written out,
/// lists joined with `;`.
fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Every JSON column and no other; every row the JSON's values, row by row.
fn same_as_json(csv_text: &str, json_text: &str) -> Vec<Vec<String>> {
    let (header, rows) = parse(csv_text);
    let json: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(json_text).expect("JSON array");
    // A gap in the numbering has a row in list --json, not in the CSV (one row a partner).
    let json: Vec<_> = json
        .into_iter()
        .filter(|o| !o.contains_key("gap"))
        .collect();
    let mut keys: Vec<String> = json.iter().flat_map(|o| o.keys().cloned()).collect();
    keys.sort();
    keys.dedup();
    let mut columns = header.clone();
    columns.sort();
    assert_eq!(columns, keys, "the CSV's columns are the JSON's");
    assert_eq!(rows.len(), json.len());
    for (row, obj) in rows.iter().zip(&json) {
        for (name, value) in header.iter().zip(row) {
            let want = obj.get(name).map(cell).unwrap_or_default();
            assert_eq!(value, &want, "{name} of {:?}", obj.get("id"));
        }
    }
    rows
}

#[test]
fn list_csv_has_the_columns_and_values_of_list_json_and_the_markers() {
    let csv_text = stdout(&["list", "--csv"]);
    assert!(!csv_text.starts_with('\u{feff}'), "no BOM without --excel");
    assert!(
        csv_text.starts_with("id,ordinal,name_ja,name_en,"),
        "{csv_text}"
    );
    let rows = same_as_json(&csv_text, &stdout(&["list", "--json"]));
    assert_eq!(rows.len(), 15, "one row per partner, no gap rows");
    // Japanese as UTF-8, quoted where a comma asks for it.
    assert!(csv_text.contains(",大阪府,"), "{csv_text}");
    assert!(
        csv_text.contains(",\"San Diego, California\","),
        "{csv_text}"
    );
    // The markers, as in the JSON: the inferred and the disputed fields, joined.
    let (header, _) = parse(&csv_text);
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    assert_eq!(header[at("inferred") + 1], "disputed");
    let ucsd = rows.iter().find(|r| r[at("id")] == "ucsd").expect("ucsd");
    assert!(
        ucsd[at("inferred")].split(';').any(|f| f == "ordinal"),
        "{ucsd:?}"
    );
    assert!(
        rows.iter().any(|r| r[at("disputed")].contains(';')),
        "a list of two or more"
    );
    // Filters as for the table.
    let europe = stdout(&["list", "--csv", "--region", "europe"]);
    same_as_json(&europe, &stdout(&["list", "--json", "--region", "europe"]));
}

#[test]
fn search_csv_has_the_columns_of_search_json_best_first() {
    let csv_text = stdout(&["search", "osaka", "--csv"]);
    let rows = same_as_json(&csv_text, &stdout(&["search", "osaka", "--json"]));
    let (header, _) = parse(&csv_text);
    assert!(header.contains(&"score".to_string()));
    assert_eq!(rows[0][0], "osaka");
    // The hub, when it matches, is a row too, with the partners' columns first.
    let csv_text = stdout(&["search", "link-j", "--csv"]);
    same_as_json(&csv_text, &stdout(&["search", "link-j", "--json"]));
    let (header, rows) = parse(&csv_text);
    assert!(
        header.starts_with(&["id".to_string(), "ordinal".to_string()]),
        "{header:?}"
    );
    assert_eq!(header.last().map(String::as_str), Some("hub"));
    assert!(
        rows.iter()
            .any(|r| r.last().map(String::as_str) == Some("true"))
    );
    let o = linkj(&["search", "zzzzqqq", "--csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

#[test]
fn excel_adds_a_bom_and_only_with_csv() {
    for args in [&["list"][..], &["search", "横浜"][..]] {
        let plain = stdout(&[args, &["--csv"]].concat());
        let excel = stdout(&[args, &["--csv", "--excel"]].concat());
        assert_eq!(excel.strip_prefix('\u{feff}'), Some(plain.as_str()));
    }
    let o = linkj(&["list", "--excel"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--csv"));
    let o = linkj(&["list", "--csv", "--json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn excel_never_takes_dataset_text_for_a_formula() {
    let fixture = include_str!("fixtures/minimal.ron");
    let hostile = fixture.replacen(
        "en: \"Example University\"",
        "en: \"=HYPERLINK(\\\"http://example.invalid\\\",\\\"x\\\")\"",
        1,
    );
    assert_ne!(hostile, fixture);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hostile.ron");
    std::fs::write(&path, hostile).expect("write");
    let data = path.to_str().expect("UTF-8 path");
    let name_en = |text: &str| {
        let (header, rows) = parse(text.trim_start_matches('\u{feff}'));
        let at = header.iter().position(|h| h == "name_en").expect("column");
        rows.iter().map(|r| r[at].clone()).collect::<Vec<_>>()
    };
    let plain = name_en(&stdout(&["list", "--csv", "--data", data]));
    assert!(
        plain.contains(&"=HYPERLINK(\"http://example.invalid\",\"x\")".to_string()),
        "{plain:?}"
    );
    let excel = name_en(&stdout(&["list", "--csv", "--excel", "--data", data]));
    assert!(
        excel.contains(&"'=HYPERLINK(\"http://example.invalid\",\"x\")".to_string()),
        "{excel:?}"
    );
}
