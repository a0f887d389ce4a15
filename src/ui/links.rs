//! A card's links, drawn: OSC 8 sequences in the frame's cells for the browser, or
//! around the address in `show`'s text.
//!
//! ratatui's buffer holds one symbol per cell and writes only the cells that changed.
//! A link's run of cells is given to its first cell as one symbol (the sequence, the
//! run's text, the closing sequence) with [`CellDiffOption::ForcedWidth`] set to the
//! run's width, so that the diff knows how far the cursor went and skips the rest of
//! the run. The other cells keep the characters the terminal shows there, so the next
//! frame's diff compares against what is really on the screen. A run is only ever the
//! printable ASCII of an address (one cell a character), and the link is laid only
//! when every cell still holds that text in one style: an overlay drawn over part of
//! it (the help) leaves it plain.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

use super::detail::Card;
use crate::hyperlink::Target;

/// A link's run of cells on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnScreen {
    /// The run's first cell.
    pub x: u16,
    /// Its row.
    pub y: u16,
    /// The characters shown in the run, one a cell.
    pub text: String,
    /// The address.
    pub url: String,
}

/// Where the links of `card`, scrolled by `scroll` lines, fall in `area`.
pub fn on_screen(card: &Card, scroll: usize, area: Rect) -> Vec<OnScreen> {
    let mut out = Vec::new();
    for l in &card.links {
        let Some(row) = l.line.checked_sub(scroll) else {
            continue;
        };
        let Ok(row) = u16::try_from(row) else {
            continue;
        };
        let Some(line) = card.lines.get(l.line) else {
            continue;
        };
        if row >= area.height {
            continue;
        }
        let before: usize = line.spans.iter().take(l.span).map(|s| s.width()).sum();
        let (Some(span), Ok(before)) = (line.spans.get(l.span), u16::try_from(before)) else {
            continue;
        };
        out.push(OnScreen {
            x: area.x.saturating_add(before),
            y: area.y + row,
            text: span.content.to_string(),
            url: l.url.clone(),
        });
    }
    out
}

/// Lays each link in `links` into `buf`, where the buffer still shows its text.
pub fn apply(buf: &mut Buffer, links: &[OnScreen]) {
    for l in links {
        let Some(target) = Target::of(&l.url) else {
            continue;
        };
        let Ok(n) = u16::try_from(l.text.len()) else {
            continue;
        };
        let Some(width) = NonZeroU16::new(n) else {
            continue;
        };
        if !l.text.bytes().all(|b| b.is_ascii_graphic()) || !intact(buf, l, n) {
            continue;
        }
        if let Some(cell) = buf.cell_mut((l.x, l.y)) {
            cell.set_symbol(&target.wrap(&l.text));
            cell.set_diff_option(CellDiffOption::ForcedWidth(width));
        }
    }
}

/// Whether the `n` cells of `l`'s run are inside `buf` and hold its text, in one style,
/// with nothing else laid on them.
fn intact(buf: &Buffer, l: &OnScreen, n: u16) -> bool {
    let first = buf.cell((l.x, l.y)).map(|c| (c.fg, c.bg, c.modifier));
    l.text.chars().zip(0..n).all(|(ch, i)| {
        let Some(x) = l.x.checked_add(i) else {
            return false;
        };
        buf.cell((x, l.y)).is_some_and(|c| {
            let mut one = [0u8; 4];
            c.symbol() == ch.encode_utf8(&mut one)
                && c.diff_option == CellDiffOption::None
                && Some((c.fg, c.bg, c.modifier)) == first
        })
    })
}

/// A card as text lines, trailing spaces trimmed; with `links`, each address that may
/// be a link wrapped in its OSC 8 sequence.
pub fn card_text(card: &Card, links: bool) -> Vec<String> {
    card.lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut text = String::new();
            for (j, span) in line.spans.iter().enumerate() {
                let link = links
                    .then(|| card.links.iter().find(|l| l.line == i && l.span == j))
                    .flatten()
                    .and_then(|l| Target::of(&l.url));
                match link {
                    Some(t) => text.push_str(&t.wrap(&span.content)),
                    None => text.push_str(&span.content),
                }
            }
            text.trim_end().to_string()
        })
        .collect()
}
