//! Text as matched: query and haystacks are normalised the same way (Unicode NFKC,
//! case folding, hiragana folded to katakana, variant kanji folded to one form (see
//! `variants`), Latin diacritics and variation selectors dropped), with a map back to the original characters so highlights land on the
//! right cells.

use unicode_normalization::UnicodeNormalization;

use super::variants::fold_variant;

/// Normalises text for matching; returns it with, per output character, the index of
/// the input character it came from.
pub fn normalize(s: &str) -> (String, Vec<usize>) {
    let (text, origin) = normalize_parts(s);
    let origin = match origin {
        Some(o) => o.into_iter().map(|i| i as usize).collect(),
        None => (0..text.chars().count()).collect(),
    };
    (text, origin)
}

/// Characters that normalise to themselves apart from ASCII case and variant kanji:
/// ASCII, kana and the common CJK ideographs (the bulk of both languages' text), which
/// skip the Unicode tables (checked against them in the tests below).
fn is_plain(c: char) -> bool {
    c.is_ascii()
        || matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

/// A character whose normal form is longer than this many characters stays as it is:
/// only a few ligatures are (U+FDFA is 18 characters, U+FDFB 8), and a haystack of
/// them would otherwise take 18 characters and 18 positions per 3 bytes of the file.
const MAX_EXPANSION: usize = 6;

/// [`normalize`], with the position map left out (`None`) when every character of the
/// result stands where it stood in `s`.
fn normalize_parts(s: &str) -> (String, Option<Vec<u32>>) {
    let mut text = String::new();
    let origin = normalize_onto(s, &mut text);
    (text, origin)
}

/// [`normalize_parts`], the text written onto the end of `text` (an index's arena:
/// no copy of it in between); the map.
pub(super) fn normalize_onto(s: &str, text: &mut String) -> Option<Vec<u32>> {
    if s.is_ascii() {
        let at = text.len();
        text.push_str(s);
        text[at..].make_ascii_lowercase();
        return None;
    }
    // Written straight into the text and its map (4 bytes a character): no list of
    // characters with their positions (16 bytes each) in between.
    let mut origin: Vec<u32> = Vec::new();
    let mut identity = true;
    // The last character written, before kana folding.
    let mut last: Option<char> = None;
    let mut push = |text: &mut String, c: char, i: u32| {
        identity &= origin.len() == i as usize;
        origin.push(i);
        text.push(fold_kana(c));
    };
    for (i, c) in s.chars().enumerate() {
        let i = i as u32;
        if is_plain(c) {
            let c = fold_variant(c.to_ascii_lowercase());
            push(text, c, i);
            last = Some(c);
            continue;
        }
        // A variation selector (kept after an ideograph) picks a glyph, not a
        // character: 葛 finds 葛󠄀.
        if crate::text::is_variation_selector(c) {
            continue;
        }
        let mut out = ['\0'; MAX_EXPANSION];
        let mut n = 0;
        for l in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
            if n == MAX_EXPANSION {
                (out[0], n) = (c, 1);
                break;
            }
            out[n] = fold_variant(strip_latin_diacritic(l));
            n += 1;
        }
        for &l in &out[..n] {
            // Half-width kana decompose into a base and a combining (semi-)voiced
            // mark; put them back together.
            if matches!(l, '\u{3099}' | '\u{309A}')
                && let Some(prev) = last
            {
                let mut composed = [prev, l].into_iter().nfc();
                if let (Some(one), None) = (composed.next(), composed.next()) {
                    text.pop();
                    text.push(fold_kana(one));
                    last = Some(one);
                    continue;
                }
            }
            push(text, l, i);
            last = Some(l);
        }
    }
    (!identity).then_some(origin)
}

fn fold_kana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
            char::from_u32(c as u32 + 0x60).unwrap_or(c)
        }
        _ => c,
    }
}

fn strip_latin_diacritic(c: char) -> char {
    if c.is_ascii() || !('\u{00C0}'..='\u{024F}').contains(&c) {
        return c;
    }
    match std::iter::once(c).nfd().next() {
        Some(base) if base.is_ascii_alphabetic() => base,
        _ => c,
    }
}

/// A 64-bit set of the characters in `text`: one bit per ASCII letter and digit, the
/// others hashed onto the remaining bits. A term can only match a haystack (fuzzy,
/// exact or prefix) if its mask is a subset of the haystack's.
pub fn char_mask(text: &str) -> u64 {
    let mut m = 0u64;
    for c in text.chars() {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            c if c.is_whitespace() => continue,
            c => 36 + (c as u32).wrapping_mul(2_654_435_761) % 28,
        };
        m |= 1 << bit;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_width_case_and_kana() {
        assert_eq!(normalize("ＵＣＬＡ").0, "ucla");
        assert_eq!(normalize("よこはま").0, "ヨコハマ");
        assert_eq!(normalize("ﾒﾃﾞｨｾﾝ").0, "メディセン");
        assert_eq!(normalize("Île-de-France").0, "ile-de-france");
        // The map points back at the input characters.
        let (t, o) = normalize("ｶﾞｲﾄﾞ");
        assert_eq!(t, "ガイド");
        assert_eq!(o, [0, 2, 3]);
    }

    #[test]
    fn variant_kanji_fold_to_one_form_with_positions_kept() {
        assert_eq!(normalize("曾山明彦").0, normalize("曽山明彦").0);
        assert_eq!(normalize("髙橋").0, normalize("高橋").0);
        assert_eq!(normalize("山﨑").0, normalize("山崎").0);
        assert_eq!(normalize("齋藤").0, normalize("斎藤").0);
        assert_eq!(normalize("渡邉").0, normalize("渡辺").0);
        assert_eq!(normalize("濵田").0, normalize("浜田").0);
        // One character for one: highlights still land on the characters typed.
        assert_eq!(normalize("曾山").1, [0, 1]);
        assert_eq!(normalize_parts("曾山 Soyama").1, None);
    }

    #[test]
    fn a_variation_selector_is_no_part_of_a_match() {
        // 葛飾 finds 葛󠄀飾 (the selector the cleaner keeps after an ideograph), and the
        // map still points at the ideographs for the highlight.
        let (t, o) = normalize("葛\u{E0100}飾区");
        assert_eq!(t, "葛飾区");
        assert_eq!(o, [0, 2, 3]);
        assert_eq!(normalize("辻\u{FE00}").0, "辻");
    }

    #[test]
    fn plain_characters_normalise_to_themselves() {
        // The fast path in `normalize_parts` must agree with the full one.
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
        {
            let full: String = std::iter::once(c)
                .nfkc()
                .flat_map(char::to_lowercase)
                .map(strip_latin_diacritic)
                .map(fold_variant)
                .collect();
            assert_eq!(
                full,
                fold_variant(c.to_ascii_lowercase()).to_string(),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(
            normalize("Ｋobe 神戸 こうべ"),
            normalize("kobe 神戸 コウベ")
        );
        assert_eq!(normalize_parts("横浜 Yokohama").1, None);
        assert_eq!(normalize_parts("ﾖｺﾊﾏ!").1, None);
        assert_eq!(normalize_parts("ｶﾞｲﾄﾞ").1, Some(vec![0, 2, 3]));
    }
}
