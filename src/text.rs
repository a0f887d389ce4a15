//! Text hygiene and terminal-width helpers.
//!
//! Dataset text is untrusted: [`clean`] runs on every string at load time (and on
//! typed, pasted and command-line queries) so no control character, escape sequence,
//! direction control or invisible character can reach a terminal, a pipe or an export.
//! The set removed is Unicode's own (through ICU4X's `icu_properties`), not a hand list.
//! Widths are display cells (CJK characters take two), measured with `unicode-width`.

use icu_properties::props::{
    BidiControl, DefaultIgnorableCodePoint, GeneralCategory, Ideographic, VariationSelector,
};
use icu_properties::{
    CodePointMapData, CodePointMapDataBorrowed, CodePointSetData, CodePointSetDataBorrowed,
};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

// ICU4X's compiled data: a code-point trie for the category, inversion lists (binary
// search over a few dozen ranges) for the sets; all static, nothing built at run time.
const CATEGORY: CodePointMapDataBorrowed<'static, GeneralCategory> = CodePointMapData::new();
const DEFAULT_IGNORABLE: CodePointSetDataBorrowed<'static> =
    CodePointSetData::new::<DefaultIgnorableCodePoint>();
const BIDI_CONTROL: CodePointSetDataBorrowed<'static> = CodePointSetData::new::<BidiControl>();
const VARIATION_SELECTOR: CodePointSetDataBorrowed<'static> =
    CodePointSetData::new::<VariationSelector>();
const IDEOGRAPHIC: CodePointSetDataBorrowed<'static> = CodePointSetData::new::<Ideographic>();

/// What [`clean`] does with a character, seen alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    /// Line breaks and tabs: one space, so words stay apart on one line.
    Space,
    Drop,
}

fn fate(c: char) -> Fate {
    if c.is_ascii() {
        return match c {
            '\t' | '\n' | '\r' => Fate::Space,
            c if c.is_ascii_control() => Fate::Drop,
            _ => Fate::Keep,
        };
    }
    match CATEGORY.get(c) {
        // The line and paragraph separators, and NEL (the C1 control for a new line),
        // end a line as a newline does.
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => Fate::Space,
        GeneralCategory::Control if c == '\u{85}' => Fate::Space,
        // C1 controls; format characters (soft hyphen, U+2061-2064, U+FFF9-FFFB, tags,
        // the prepended concatenation marks...): invisible, or shaped over their
        // neighbours, which a grid of cells cannot do; terminals do not agree on their
        // widths either.
        GeneralCategory::Control | GeneralCategory::Format => Fate::Drop,
        // Bidi_Control is within Format today; asked for by name so that stays so.
        _ if DEFAULT_IGNORABLE.contains(c) || BIDI_CONTROL.contains(c) => Fate::Drop,
        _ => Fate::Keep,
    }
}

/// Whether `c` may stay although [`fate`] drops it, coming right after `prev` in the
/// cleaned text: a variation selector after an ideograph.
///
/// Ideographic variation sequences (U+E0100-E01EF, and U+FE00-FE02 for the
/// compatibility ideographs) choose the glyph of a name's kanji, which an export should
/// not lose, and take no cell: the pair is as wide as the ideograph, in unicode-width
/// and in terminals alike (tested below). Every other default-ignorable is dropped,
/// the zero-width joiner and the emoji variation selectors included: terminals
/// disagree on the width of emoji ZWJ sequences (👨‍👩‍👧 is 2 cells to unicode-width and
/// to some terminals, 6 to others) and of VS15/VS16 presentation (❤️ 2 or 1), so
/// keeping them would put the drawn text out of step with the computed widths. Without
/// them every part is an emoji of its own whose width all agree on. Of the
/// Variation_Selector set, neither VS15/VS16 (text or emoji presentation, which no
/// ideograph has) nor the Mongolian free variation selectors (U+180B-180D, U+180F,
/// which shape Mongolian letters) mean anything after an ideograph: they go there too.
fn kept_after(prev: Option<char>, c: char) -> bool {
    VARIATION_SELECTOR.contains(c)
        && c >= '\u{FE00}'
        && !matches!(c, '\u{FE0E}' | '\u{FE0F}')
        && prev.is_some_and(|p| IDEOGRAPHIC.contains(p))
}

/// Whether `c` is a variation selector (which [`clean`] keeps only after an ideograph).
pub fn is_variation_selector(c: char) -> bool {
    VARIATION_SELECTOR.contains(c)
}

/// Removes control characters (C0, DEL, C1) and so escape sequences, format
/// characters (General_Category Cf), direction controls (Bidi_Control) and invisible
/// characters (Default_Ignorable_Code_Point), but for a variation selector right after
/// an ideograph; tabs, newlines, NEL and the line and paragraph separators become
/// single spaces.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        let c = match fate(c) {
            Fate::Keep => c,
            Fate::Space => ' ',
            Fate::Drop if kept_after(last, c) => c,
            Fate::Drop => continue,
        };
        out.push(c);
        last = Some(c);
    }
    out
}

/// Cleans a web address, or a citation of one (`https://… (where)`), in place: each
/// character [`clean`] would drop or turn into a space becomes U+FFFD instead, so the
/// text shows where something was, and, no longer printable ASCII, is never taken for a
/// link ([`crate::hyperlink::Target::of`]). Anything that is not an `http`/`https`
/// address is cleaned as any text is. A source's address and the citations of it are
/// cleaned alike, so they still match.
pub fn clean_address_in_place(s: &mut String) {
    let head = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if !(head.starts_with("http://") || head.starts_with("https://")) {
        clean_in_place(s);
        return;
    }
    if s.chars().any(|c| fate(c) != Fate::Keep) {
        *s = s
            .chars()
            .map(|c| if fate(c) == Fate::Keep { c } else { '\u{FFFD}' })
            .collect();
    }
}

/// Cleans a string in place, avoiding a copy when it is already clean.
pub fn clean_in_place(s: &mut String) {
    if may_need_cleaning(s.as_bytes(), true) && s.chars().any(|c| fate(c) != Fate::Keep) {
        *s = clean(s);
    }
}

/// Whether text may hold a character [`clean`] changes. Each such character starts
/// with one of the byte patterns below (a byte below 0x20 only when `controls` counts
/// them); ordinary text, kana, kanji, full-width forms and general punctuation (… — “ ”
/// ※) included, has none and needs no character-level look. The patterns are a superset
/// of Unicode's set, derived from it by hand and checked against it on every scalar
/// value (`clean_in_place_finds_every_character_clean_changes`): a Unicode update that
/// adds a character fails that test until a pattern covers it. Checked in blocks of 64
/// bytes without early exit inside a block, so it vectorises.
pub fn may_need_cleaning(bytes: &[u8], controls: bool) -> bool {
    let low = if controls { 0x20 } else { 0 };
    let mut at = 0;
    while bytes.len() - at >= BLOCK + 2 {
        if block_suspect(&bytes[at..], low) {
            return true;
        }
        at += BLOCK;
    }
    // The rest (short strings are only this), padded with spaces: a space starts no
    // pattern and is no byte after a pattern's first (those are continuation bytes,
    // and valid UTF-8 ends on a whole character).
    let rest = &bytes[at..];
    let mut w = [b' '; 2 * BLOCK + 2];
    w[..rest.len()].copy_from_slice(rest);
    block_suspect(&w, low) || (rest.len() > BLOCK && block_suspect(&w[BLOCK..], low))
}

const BLOCK: usize = 64;

/// Whether any of the first [`BLOCK`] positions of `w` (which has two bytes more)
/// starts a suspect pattern.
#[inline(always)]
fn block_suspect(w: &[u8], low: u8) -> bool {
    // One bounds check here, none in the loops.
    let w = &w[..BLOCK + 2];
    // First a cheaper look at lead bytes only (and E3 85, as kana and most CJK
    // punctuation start with E3), a superset of the patterns: most blocks of ASCII,
    // kana and kanji stop here (the full patterns take three times as long).
    let mut lead = false;
    for i in 0..BLOCK {
        let (a, b) = (w[i], w[i + 1]);
        lead |= (a < low)
            | (a == 0x7F)
            | (a == 0xC2)
            | (a == 0xCD)
            | (a.wrapping_sub(0xD8) <= 0xDC - 0xD8)
            | (a.wrapping_sub(0xE0) <= 0xE2 - 0xE0)
            | ((a == 0xE3) & (b == 0x85))
            | (a == 0xEF)
            | (a == 0xF0)
            | (a == 0xF3);
    }
    if !lead {
        return false;
    }
    let mut acc = false;
    for i in 0..BLOCK {
        acc |= suspect(w[i], w[i + 1], w[i + 2], low);
    }
    acc
}

/// Whether a character starting with bytes `a b c` may be one [`clean`] changes. In
/// `|`/`&` rather than `||`/`&&`: no branches, so the block loop vectorises.
#[inline(always)]
fn suspect(a: u8, b: u8, c: u8, low: u8) -> bool {
    let within = |x: u8, lo: u8, hi: u8| x.wrapping_sub(lo) <= hi - lo;
    (a < low)
        | (a == 0x7F)
        // U+0080-009F C1 controls, U+00AD soft hyphen.
        | ((a == 0xC2) & ((b < 0xA0) | (b == 0xAD)))
        // U+034F combining grapheme joiner.
        | ((a == 0xCD) & (b == 0x8F))
        // U+0600-0605 and U+061C (Arabic letter mark), U+06DD, U+070F.
        | ((a == 0xD8) & ((b < 0x86) | (b == 0x9C)))
        | ((a == 0xDB) & (b == 0x9D))
        | ((a == 0xDC) & (b == 0x8F))
        // U+0890-0891, U+08E2.
        | ((a == 0xE0) & within(b, 0xA2, 0xA3))
        // U+115F-1160 Hangul fillers, U+17B4-17B5, U+180B-180F Mongolian selectors.
        | ((a == 0xE1)
            & (((b == 0x85) & within(c, 0x9F, 0xA0))
                | ((b == 0x9E) & within(c, 0xB4, 0xB5))
                | ((b == 0xA0) & within(c, 0x8B, 0x8F))))
        // U+200B-200F, U+2028-202E (separators, embeddings), U+2060-206F.
        | ((a == 0xE2)
            & (((b == 0x80) & (within(c, 0x8B, 0x8F) | within(c, 0xA8, 0xAE)))
                | ((b == 0x81) & within(c, 0xA0, 0xAF))))
        // U+3164 Hangul filler.
        | ((a == 0xE3) & (b == 0x85) & (c == 0xA4))
        // U+FE00-FE0F variation selectors, U+FEFF, U+FFA0, U+FFF0-FFFB.
        | ((a == 0xEF)
            & (((b == 0xB8) & (c < 0x90))
                | ((b == 0xBB) & (c == 0xBF))
                | ((b == 0xBE) & (c == 0xA0))
                | ((b == 0xBF) & within(c, 0xB0, 0xBB))))
        // Brahmi and Kaithi number signs, Egyptian format controls, shorthand format
        // controls, musical format controls (planes 1: lead F0, second 91 93 9B 9D).
        | ((a == 0xF0) & ((b == 0x91) | (b == 0x93) | (b == 0x9B) | (b == 0x9D)))
        // U+E0000-E0FFF: tags and variation selectors supplement.
        | ((a == 0xF3) & (b == 0xA0))
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Width of one character (0 for combining marks).
pub fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Truncates to at most `max` cells, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    truncate_with(s, max, '…')
}

/// Truncates to at most `max` cells, ending in `ellipsis` (one cell) when something was cut.
pub fn truncate_with(s: &str, max: usize, ellipsis: char) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push(ellipsis);
    out
}

/// Pads with spaces on the right to exactly `w` cells (truncating first if longer).
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let tw = width(&t);
    format!("{t}{}", " ".repeat(w.saturating_sub(tw)))
}

/// Splits `text` into its maximal runs of marked and of unmarked characters, in order,
/// each with whether it is marked. `marks` are sorted char indices (as a search hit
/// holds them); marks past the end of `text` are ignored.
pub fn mark_runs<'a>(text: &'a str, marks: &[usize]) -> impl Iterator<Item = (&'a str, bool)> {
    let mut chars = text.char_indices().enumerate().peekable();
    let mut pending = marks.iter().copied().peekable();
    // Asked in increasing order of `i`, so marks behind it can be dropped for good.
    let mut is_marked = move |i: usize| {
        while pending.next_if(|&m| m < i).is_some() {}
        pending.peek() == Some(&i)
    };
    std::iter::from_fn(move || {
        let (i, (start, _)) = chars.next()?;
        let on = is_marked(i);
        let mut end = text.len();
        while let Some(&(j, (at, _))) = chars.peek() {
            if is_marked(j) != on {
                end = at;
                break;
            }
            chars.next();
        }
        Some((&text[start..end], on))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_escapes_and_invisible_controls() {
        let dirty = "A\u{1b}]0;title\u{7}B\u{1b}[2JC\u{202E}D\u{200B}E\u{9b}F\tG";
        assert_eq!(clean(dirty), "A]0;titleB[2JCDEF G");
    }

    /// Issue 13, point 8: what passed the hand list this cleaner had before.
    const POINT_8: &[char] = &[
        '\u{061C}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{180E}',
        '\u{00AD}',
        '\u{034F}',
        '\u{115F}',
        '\u{3164}',
        '\u{FFF9}',
        '\u{FFFA}',
        '\u{FFFB}',
        '\u{E0000}',
        '\u{E0001}',
        '\u{E0020}',
        '\u{E0041}',
        '\u{E007F}',
    ];

    #[test]
    fn direction_marks_separators_and_invisible_format_characters_go() {
        for &c in POINT_8 {
            assert_eq!(clean(&format!("a{c}b")), "ab", "U+{:04X}", c as u32);
            assert_eq!(clean(&format!("横{c}浜")), "横浜", "U+{:04X}", c as u32);
        }
        // Tag characters spelling a hidden message ("ASCII smuggling").
        let tags: String = "ignore"
            .chars()
            .map(|c| char::from_u32(0xE0000 + c as u32).unwrap_or('?'))
            .collect();
        assert_eq!(clean(&format!("ok{tags}")), "ok");
        // Line and paragraph separators break lines, as a newline does: one space.
        assert_eq!(
            clean("one\u{2028}two\u{2029}three\u{85}four"),
            "one two three four"
        );
    }

    #[test]
    fn joiners_and_emoji_selectors_go_ideographic_selectors_stay() {
        // A ZWJ sequence falls apart into its emoji; a presentation selector goes.
        assert_eq!(clean("👨\u{200D}👩\u{200D}👧"), "👨👩👧");
        assert_eq!(clean("❤\u{FE0F} ⌚\u{FE0E}"), "❤ ⌚");
        assert_eq!(
            clean("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"),
            "🏴"
        );
        // An ideographic variation sequence is kept: it picks the glyph of a name.
        assert_eq!(clean("葛\u{E0100}飾"), "葛\u{E0100}飾");
        assert_eq!(clean("辻\u{FE00}"), "辻\u{FE00}");
        // Only right after the ideograph (in the cleaned text), and only one.
        assert_eq!(clean("a\u{E0100}"), "a");
        assert_eq!(clean("葛\u{E0100}\u{E0101}"), "葛\u{E0100}");
        assert_eq!(clean("葛 \u{E0100}"), "葛 ");
        assert_eq!(clean("葛\u{200B}\u{E0100}"), "葛\u{E0100}");
        assert_eq!(clean("ᠠ\u{180B}"), "ᠠ");
        // Presentation and Mongolian selectors mean nothing after an ideograph.
        assert_eq!(clean("葛\u{FE0F}飾\u{FE0E}"), "葛飾");
        assert_eq!(clean("葛\u{180B}"), "葛");
    }

    #[test]
    fn a_kept_variation_selector_takes_no_cell() {
        // ratatui measures the pair as one grapheme with unicode-width; a terminal puts
        // the selector in the ideograph's cell (it has no width of its own): the two
        // must agree for every ideograph and every selector clean keeps.
        let ideographs: Vec<char> = IDEOGRAPHIC
            .iter_ranges()
            .flatten()
            .filter_map(char::from_u32)
            .collect();
        let selectors: Vec<char> = VARIATION_SELECTOR
            .iter_ranges()
            .flatten()
            .filter_map(char::from_u32)
            .collect();
        let some_ideographs = ['一', '葛', '辻', '\u{20B9F}', '〆', '々', '\u{FA11}'];
        let some_selectors = ['\u{FE00}', '\u{FE0E}', '\u{FE0F}', '\u{E0100}', '\u{E01EF}'];
        let pairs = ideographs
            .iter()
            .flat_map(|&p| some_selectors.map(|v| (p, v)))
            .chain(
                selectors
                    .iter()
                    .flat_map(|&v| some_ideographs.map(|p| (p, v))),
            );
        let mut kept = 0;
        for (p, v) in pairs {
            let pair = format!("{p}{v}");
            if clean(&pair) != pair {
                continue;
            }
            kept += 1;
            assert_eq!(char_width(v), 0, "U+{:04X}", v as u32);
            assert_eq!(
                width(&pair),
                char_width(p),
                "U+{:04X} U+{:04X}",
                p as u32,
                v as u32
            );
        }
        assert!(kept > 250_000, "{kept}");
    }

    #[test]
    fn clean_in_place_finds_every_character_clean_changes() {
        // Every character `clean` drops or replaces, alone and amid CJK text, is caught
        // by the byte pre-check in `clean_in_place`.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let raw = format!("横浜{c}x");
            let mut s = raw.clone();
            clean_in_place(&mut s);
            assert_eq!(s, clean(&raw), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_pre_check_flags_every_changed_character_wherever_it_stands() {
        // At every place around the pre-check's 64-byte blocks, in a short string and a
        // long one, with controls counted and (as for a whole file, U+0020 and up) not.
        let mut flagged = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if fate(c) == Fate::Keep {
                continue;
            }
            flagged += 1;
            let mut buf = [0; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            for at in [0, 1, 61, 62, 63, 64, 65, 66, 126, 127, 128, 129, 130] {
                for after in [0, 1, 2, 70] {
                    let mut s = vec![b'a'; at];
                    s.extend_from_slice(enc);
                    s.extend(std::iter::repeat_n(b'b', after));
                    assert!(may_need_cleaning(&s, true), "U+{:04X} at {at}", c as u32);
                    if c >= ' ' {
                        assert!(may_need_cleaning(&s, false), "U+{:04X} at {at}", c as u32);
                    }
                }
            }
        }
        assert!(flagged > 4000, "{flagged}");
        // And ordinary text passes without a look: ASCII, kana, kanji, full- and
        // half-width forms, general punctuation, Latin with accents, emoji.
        let plain =
            "Tokyo 東京都 とうきょう トウキョウ ﾄｳｷｮｳ （株）ＡＢＣ￥ …—“”‘’•※‼ Zürich Ⅻ 😀👍 한국";
        assert!(!may_need_cleaning(plain.repeat(5).as_bytes(), true));
        assert!(!may_need_cleaning(b"", true));
    }

    #[test]
    fn cjk_counts_two_cells() {
        assert_eq!(width("横浜市"), 6);
        assert_eq!(pad("横浜市", 8), "横浜市  ");
        assert_eq!(truncate("横浜市役所", 5), "横浜…");
        assert_eq!(width(&truncate("横浜市役所", 5)), 5);
    }

    #[test]
    fn mark_runs_yields_maximal_runs_by_char() {
        let runs: Vec<(&str, bool)> = mark_runs("横浜市役所ab", &[1, 2, 5, 9]).collect();
        assert_eq!(
            runs,
            [
                ("横", false),
                ("浜市", true),
                ("役所", false),
                ("a", true),
                ("b", false)
            ]
        );
        let all: Vec<(&str, bool)> = mark_runs("abc", &[0, 1, 2]).collect();
        assert_eq!(all, [("abc", true)]);
        let none: Vec<(&str, bool)> = mark_runs("abc", &[]).collect();
        assert_eq!(none, [("abc", false)]);
        assert_eq!(mark_runs("", &[0]).count(), 0);
        // Every set of marks on a short text: the runs give back each character with
        // its mark, and no two runs in a row agree.
        let text = "aé横b浜";
        for set in 0u32..64 {
            let marks: Vec<usize> = (0..6).filter(|i| set & (1 << i) != 0).collect();
            let runs: Vec<(&str, bool)> = mark_runs(text, &marks).collect();
            let flat: Vec<(char, bool)> = runs
                .iter()
                .flat_map(|&(r, on)| r.chars().map(move |c| (c, on)))
                .collect();
            let want: Vec<(char, bool)> = text
                .chars()
                .enumerate()
                .map(|(i, c)| (c, marks.binary_search(&i).is_ok()))
                .collect();
            assert_eq!(flat, want, "{marks:?}");
            assert!(runs.windows(2).all(|w| w[0].1 != w[1].1), "{runs:?}");
        }
    }
}
