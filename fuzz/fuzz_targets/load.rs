//! Fuzzes the dataset loader: any bytes must give a valid dataset or a located error,
//! never a panic, a hang or a stack overflow. Run by hand (not in CI):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run load -- -max_total_time=600
//! Seed corpus: fuzz/seeds/ (the real dataset and the minimal example).
#![no_main]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // What the fast reader accepts, ron must accept with the same meaning; reading the
    // partner list in two halves must read the same.
    if let Ok(text) = std::str::from_utf8(data) {
        let fast = linkj::data::fast_ron::from_str::<linkj::data::Dataset>(text);
        if let Some(halves) = linkj::data::read_fast_split_from(text, 0) {
            assert_eq!(Some(&halves), fast.as_ref());
        }
        if let Some(fast) = fast {
            assert_eq!(Some(fast), linkj::data::parse_with_ron(text, "fuzz.ron").ok());
        }
    }
    match linkj::data::load_bytes(data, "fuzz.ron") {
        Ok(loaded) => {
            // A dataset that loads must also be browsable and listable.
            let today = linkj::session::Settings::default().today;
            let all = linkj::filter::Filter::default();
            let _ = linkj::report::list_table(&loaded.dataset, &all, today, linkj::data::Lang::Ja);
            let catalog = std::sync::Arc::new(linkj::catalog::Catalog::new(loaded));
            let _ = catalog.search(&all, today, "a");
            let _ = linkj::session::Session::new(catalog, (80, 24), Default::default());
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.ron"), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
        }
    }
});
