//! Wrapping styled text to a width in cells. Break opportunities come from the Unicode
//! line breaking algorithm (UAX #14, via `unicode-linebreak`): Latin words stay whole,
//! CJK characters are break opportunities of their own, and closing punctuation or small
//! kana never start a line (kinsoku).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_linebreak::linebreaks;

use crate::text::char_width;

/// A run of characters with one style.
pub type Part = (String, Style);

/// Splits styled text into unbreakable segments, each ending where UAX #14 allows a
/// break (a segment keeps its trailing spaces).
fn segments(parts: &[Part]) -> Vec<Vec<(char, Style)>> {
    let cells: Vec<(char, Style)> = parts
        .iter()
        .flat_map(|(t, s)| t.chars().map(move |c| (c, *s)))
        .collect();
    let text: String = cells.iter().map(|(c, _)| *c).collect();
    let mut char_at_byte = vec![0usize; text.len() + 1];
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        char_at_byte[bi] = ci;
    }
    char_at_byte[text.len()] = cells.len();
    let mut segs = Vec::new();
    let mut start = 0;
    for (byte, _) in linebreaks(&text) {
        let end = char_at_byte[byte];
        if end > start {
            segs.push(cells[start..end].to_vec());
            start = end;
        }
    }
    if start < cells.len() {
        segs.push(cells[start..].to_vec());
    }
    segs
}

fn seg_width(s: &[(char, Style)]) -> usize {
    s.iter().map(|(c, _)| char_width(*c)).sum()
}

/// Styled characters as spans, one span per run of characters of equal style.
pub(super) fn cells_to_spans(cells: Vec<(char, Style)>) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (c, s) in cells {
        match spans.last_mut() {
            Some(last) if last.style == s => last.content.to_mut().push(c),
            _ => spans.push(Span::styled(c.to_string(), s)),
        }
    }
    spans
}

/// Wraps `parts` to `width` cells. The first line starts with `first`, the others with
/// `indent` spaces; `first` should be `indent` cells wide.
pub fn wrap(
    parts: &[Part],
    width: usize,
    first: Vec<Span<'static>>,
    indent: usize,
) -> Vec<Line<'static>> {
    let avail = width.saturating_sub(indent).max(1);
    let mut lines: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    let mut w = 0;
    for seg in segments(parts) {
        // Trailing spaces may hang past the edge; they are trimmed below.
        let body: Vec<(char, Style)> = {
            let n = seg
                .iter()
                .rposition(|(c, _)| *c != ' ')
                .map_or(0, |i| i + 1);
            seg[..n].to_vec()
        };
        let bw = seg_width(&body);
        if w + bw > avail && w > 0 {
            lines.push(Vec::new());
            w = 0;
        }
        if bw > avail {
            // A segment wider than the line is broken by cells.
            for item in seg {
                let cw = char_width(item.0);
                if w + cw > avail && w > 0 {
                    lines.push(Vec::new());
                    w = 0;
                }
                w += cw;
                if let Some(l) = lines.last_mut() {
                    l.push(item);
                }
            }
            continue;
        }
        w += seg_width(&seg);
        if let Some(l) = lines.last_mut() {
            l.extend(seg);
        }
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, mut cells)| {
            while cells.last().is_some_and(|(c, _)| *c == ' ') {
                cells.pop();
            }
            let mut spans = if i == 0 {
                first.clone()
            } else {
                vec![Span::raw(" ".repeat(indent))]
            };
            spans.extend(cells_to_spans(cells));
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str, w: usize) -> Vec<String> {
        wrap(&[(s.to_string(), Style::default())], w, vec![], 0)
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    #[test]
    fn latin_breaks_at_spaces() {
        assert_eq!(
            plain("Exchange of publications and information", 16),
            ["Exchange of", "publications and", "information"]
        );
    }

    #[test]
    fn cjk_breaks_between_characters_and_keeps_punctuation() {
        let lines = plain(
            "横浜市は、健康・医療分野のイノベーションを継続的に創出。",
            10,
        );
        for l in &lines {
            assert!(crate::text::width(l) <= 10, "{l}");
            assert!(!l.starts_with('、') && !l.starts_with('。'), "{lines:?}");
        }
        assert_eq!(
            lines.concat(),
            "横浜市は、健康・医療分野のイノベーションを継続的に創出。"
        );
    }

    #[test]
    fn mixed_japanese_and_english_break_sensibly() {
        let lines = plain(
            "LINK-J と UCLA の提携は、2019年6月3日に締結されました。",
            14,
        );
        for l in &lines {
            assert!(crate::text::width(l) <= 14, "{lines:?}");
        }
        // "UCLA" and "2019年6月3日"'s digits are never split.
        assert!(lines.iter().any(|l| l.contains("UCLA")), "{lines:?}");
        assert!(
            !lines
                .iter()
                .any(|l| l.ends_with("201") || l.starts_with("9年")),
            "{lines:?}"
        );
    }

    #[test]
    fn long_words_are_split() {
        assert_eq!(plain("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }
}
