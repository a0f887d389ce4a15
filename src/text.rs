//! Text hygiene and terminal-width helpers.
//!
//! Dataset text is untrusted: [`clean`] runs on every string at load time so no control
//! character, escape sequence, bidi override or zero-width character can reach a terminal.
//! Widths are display cells (CJK characters take two), measured with `unicode-width`.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes control characters (C0, DEL, C1), bidirectional controls and zero-width
/// characters; tabs and newlines become single spaces.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // Bidi embeddings/overrides/isolates and marks: they reorder what follows.
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            // Zero-width characters: invisible, and they break width arithmetic.
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Cleans a string in place, avoiding a copy when it is already clean.
pub fn clean_in_place(s: &mut String) {
    if may_need_cleaning(s.as_bytes(), true) && s.chars().any(needs_cleaning) {
        *s = clean(s);
    }
}

/// Whether text may hold a character [`clean`] removes: every one is encoded with a
/// byte below 0x20 (when `controls` counts them), 0x7F, or a lead byte 0xC2 (C1
/// controls), 0xE2 (bidi and zero-width marks) or 0xEF (U+FEFF). Text without those
/// bytes (most text, CJK included) needs no character-level look. Checked in blocks
/// without early exit, so it vectorises.
pub fn may_need_cleaning(bytes: &[u8], controls: bool) -> bool {
    let low = if controls { 0x20 } else { 0 };
    let suspect = |b: u8| b < low || b == 0x7F || b == 0xC2 || b == 0xE2 || b == 0xEF;
    bytes
        .chunks(64)
        .any(|c| c.iter().fold(false, |acc, &b| acc | suspect(b)))
}

fn needs_cleaning(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_escapes_and_invisible_controls() {
        let dirty = "A\u{1b}]0;title\u{7}B\u{1b}[2JC\u{202E}D\u{200B}E\u{9b}F\tG";
        assert_eq!(clean(dirty), "A]0;titleB[2JCDEF G");
    }

    #[test]
    fn clean_in_place_finds_every_character_clean_removes() {
        // Every character `clean` drops, alone and amid CJK text, is caught by the byte
        // pre-check in `clean_in_place`.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let raw = format!("横浜{c}x");
            let mut s = raw.clone();
            clean_in_place(&mut s);
            assert_eq!(s, clean(&raw), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn cjk_counts_two_cells() {
        assert_eq!(width("横浜市"), 6);
        assert_eq!(pad("横浜市", 8), "横浜市  ");
        assert_eq!(truncate("横浜市役所", 5), "横浜…");
        assert_eq!(width(&truncate("横浜市役所", 5)), 5);
    }
}
