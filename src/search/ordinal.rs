//! Partnerships by number: the releases and the people who use them call a
//! partnership by its place in LINK-J's count (7例目, 13団体目, "No. 7"). A query that is
//! only such a number puts that partnership first, above anything whose text merely
//! contains the digits.

use unicode_normalization::UnicodeNormalization;

use super::hit::Hit;

/// Written before the number: `#7`, `No. 7`, `no.7`, `№7`, `第7号`.
const PREFIXES: &[&str] = &["#", "no.", "no", "nr.", "第"];
/// Written after it: `7番目`, `7例目`, `7団体目`, `第7号`.
const SUFFIXES: &[&str] = &["団体目", "例目", "番目", "号", "番", "例", "団体"];

/// The number a query asks for, when the query is nothing but a number in one of the
/// ways it is written (`7`, `#7`, `No. 7`, `no.7`, `7番目`, `7例目`, `7団体目`, `第7号`,
/// full-width `７`). Zero and numbers past `u32` are no partnership's.
pub fn ordinal_query(query: &str) -> Option<u32> {
    // NFKC: full-width digits and letters become ASCII, № becomes "No".
    let folded: String = query
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut rest = folded.as_str();
    if let Some(p) = PREFIXES.iter().find(|p| rest.starts_with(**p)) {
        rest = &rest[p.len()..];
    }
    if let Some(s) = SUFFIXES.iter().find(|s| rest.ends_with(**s)) {
        rest = &rest[..rest.len() - s.len()];
    }
    if rest.is_empty() || rest.len() > 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse::<u32>().ok().filter(|&n| n > 0)
}

/// Puts `partner` first in `hits` as the answer to a number (any other hit of it is
/// dropped). Returns where it was, if it was there.
pub fn put_first(hits: &mut Vec<Hit>, partner: usize) -> Option<usize> {
    let at = hits.iter().position(|h| h.partner == partner);
    if at.is_some() {
        // A list being filled in can hold it twice: put first after one slice, and
        // its own match found by a later one.
        hits.retain(|h| h.partner != partner);
    }
    hits.insert(0, Hit::numbered(partner));
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbered_partner_is_listed_once() {
        let mut hits = vec![Hit::plain(3), Hit::plain(5), Hit::plain(8)];
        assert_eq!(put_first(&mut hits, 5), Some(1));
        // The next slice of a search brings partner 5's own match again.
        hits.push(Hit::plain(5));
        assert_eq!(put_first(&mut hits, 5), Some(0));
        let listed: Vec<usize> = hits.iter().map(|h| h.partner).collect();
        assert_eq!(listed, [5, 3, 8]);
        assert_eq!(hits[0], Hit::numbered(5));
    }

    #[test]
    fn every_way_of_writing_seven_is_seven() {
        for q in [
            "7",
            "#7",
            "No. 7",
            "no.7",
            "NO 7",
            "7番目",
            "7例目",
            "7団体目",
            "第7号",
            "７",
            "＃７",
            "№7",
            " 7 ",
            "第７例目",
        ] {
            assert_eq!(ordinal_query(q), Some(7), "{q:?}");
        }
        assert_eq!(ordinal_query("15"), Some(15));
    }

    #[test]
    fn words_and_other_numbers_are_not_ordinals() {
        for q in [
            "",
            "kobe",
            "7a",
            "no",
            "#",
            "0",
            "no.0",
            "2018-01",
            "99999999999",
            "-7",
            "7.5",
            "第号",
        ] {
            assert_eq!(ordinal_query(q), None, "{q:?}");
        }
    }
}
