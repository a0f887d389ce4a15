//! Wrapping styled text to a width in cells. Latin words stay whole; CJK characters are
//! break opportunities of their own; closing punctuation never starts a line and opening
//! punctuation never ends one (basic kinsoku).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::char_width;

/// A run of characters with one style.
pub type Part = (String, Style);

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '・'
            | 'ー'
            | '！'
            | '？'
            | '：'
            | '；'
            | ')'
            | ','
            | '.'
            | '!'
            | '?'
            | ':'
            | ';'
            | '〉'
            | '》'
            | '”'
            | '’'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〔' | '(' | '〈' | '《' | '“' | '‘'
    )
}

fn is_wide(c: char) -> bool {
    char_width(c) >= 2
}

/// Splits styled text into unbreakable segments (spaces are their own segments).
fn segments(parts: &[Part]) -> Vec<Vec<(char, Style)>> {
    let mut segs: Vec<Vec<(char, Style)>> = Vec::new();
    let mut cur: Vec<(char, Style)> = Vec::new();
    let mut pending_open = false;
    for (text, style) in parts {
        for c in text.chars() {
            let item = (c, *style);
            if c == ' ' {
                if !cur.is_empty() {
                    segs.push(std::mem::take(&mut cur));
                }
                segs.push(vec![item]);
                pending_open = false;
                continue;
            }
            let prev_wide = cur.last().is_some_and(|(p, _)| is_wide(*p));
            let starts_new =
                !cur.is_empty() && !pending_open && !is_closing(c) && (is_wide(c) || prev_wide);
            if starts_new {
                segs.push(std::mem::take(&mut cur));
            }
            if cur.is_empty() && is_closing(c) {
                // Attach to the previous non-space segment so it cannot start a line.
                if let Some(last) = segs
                    .last_mut()
                    .filter(|s| s.first().is_some_and(|(p, _)| *p != ' '))
                {
                    last.push(item);
                    continue;
                }
            }
            cur.push(item);
            pending_open = is_opening(c);
        }
    }
    if !cur.is_empty() {
        segs.push(cur);
    }
    segs
}

fn seg_width(s: &[(char, Style)]) -> usize {
    s.iter().map(|(c, _)| char_width(*c)).sum()
}

fn to_line(cells: Vec<(char, Style)>) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style: Option<Style> = None;
    for (c, s) in cells {
        if style != Some(s) {
            if let Some(st) = style {
                spans.push(Span::styled(std::mem::take(&mut text), st));
            }
            style = Some(s);
        }
        text.push(c);
    }
    if let Some(st) = style {
        spans.push(Span::styled(text, st));
    }
    Line::from(spans)
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
        let sw = seg_width(&seg);
        let is_space = seg.len() == 1 && seg[0].0 == ' ';
        if w + sw <= avail {
            if !(is_space && w == 0) {
                w += sw;
                if let Some(l) = lines.last_mut() {
                    l.extend(seg);
                }
            }
            continue;
        }
        if is_space {
            lines.push(Vec::new());
            w = 0;
            continue;
        }
        if w > 0 {
            lines.push(Vec::new());
            w = 0;
        }
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
    }
    while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, mut cells)| {
            while cells.last().is_some_and(|(c, _)| *c == ' ') {
                cells.pop();
            }
            let mut line = to_line(cells);
            let prefix = if i == 0 {
                first.clone()
            } else {
                vec![Span::raw(" ".repeat(indent))]
            };
            let mut spans = prefix;
            spans.append(&mut line.spans);
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
    fn long_words_are_split() {
        assert_eq!(plain("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }
}
