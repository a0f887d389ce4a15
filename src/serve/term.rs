//! What a visitor's `TERM` (sent with the pty request) says about their terminal, and
//! so how their browser is drawn. linkj writes the ANSI sequences every terminal of the
//! last forty years reads, so `TERM` decides only what those terminals differ in: colour,
//! the glyphs their fonts have, whether they can be addressed at all, and whether a
//! multiplexer sits in between.

/// How a visitor's browser is drawn for their terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// The terminal shows colour.
    pub color: bool,
    /// Its font may lack box drawing, the ellipsis or CJK widths: ASCII chrome.
    pub plain: bool,
    /// Inside tmux or screen: copies are also wrapped for passthrough.
    pub multiplexer: bool,
    /// The terminal can be addressed (cursor moves, clearing); `dumb` cannot.
    pub addressable: bool,
    /// Sources' addresses are sent as OSC 8 hyperlinks: not to the terminals that
    /// print the sequence or cannot place it, nor with plain chrome
    /// ([`crate::hyperlink::term_supports`]).
    pub hyperlinks: bool,
}

impl Caps {
    /// The capabilities `term` implies. An empty or unknown name is taken for an
    /// xterm-like terminal, which is what nearly every client is.
    pub fn of(term: &str) -> Caps {
        let t = term.trim().to_ascii_lowercase();
        // The DEC terminals and their emulations (vt100, vt102, vt220, vt52) and the
        // explicit monochrome entries (xterm-mono, …-m) have no colour, and their
        // character sets have no Unicode box drawing.
        let dec = t
            .strip_prefix("vt")
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
        let mono = t.ends_with("-mono") || t.ends_with("-m") || dec;
        // The Linux console's fonts have 512 glyphs: no CJK, no ellipsis.
        let plain = dec || t == "linux" || t.starts_with("linux-") || t == "dumb";
        Caps {
            color: !mono && t != "dumb",
            plain,
            // An empty name is taken for xterm here too; hyperlinks only for a name.
            hyperlinks: !plain
                && crate::hyperlink::term_supports(if t.is_empty() { "xterm" } else { &t }),
            multiplexer: t.starts_with("tmux") || t.starts_with("screen"),
            addressable: t != "dumb",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xterm_like_terminals_get_everything() {
        for t in [
            "xterm-256color",
            "xterm",
            "alacritty",
            "xterm-kitty",
            "",
            "foot",
        ] {
            let c = Caps::of(t);
            assert!(
                c.color && !c.plain && !c.multiplexer && c.addressable && c.hyperlinks,
                "{t}"
            );
        }
    }

    #[test]
    fn old_and_small_terminals_get_what_they_can_show() {
        let vt = Caps::of("vt220");
        assert!(!vt.color && vt.plain && vt.addressable && !vt.hyperlinks);
        let linux = Caps::of("linux");
        assert!(linux.color && linux.plain && !linux.hyperlinks);
        assert!(!Caps::of("vt100").hyperlinks && !Caps::of("dumb").hyperlinks);
        assert!(!Caps::of("xterm-mono").color);
        assert!(!Caps::of("dumb").addressable);
        // A name that merely starts with "vt" is not a DEC terminal.
        assert!(Caps::of("vte-256color").color);
    }

    #[test]
    fn multiplexers_are_recognised() {
        assert!(Caps::of("tmux-256color").multiplexer);
        assert!(Caps::of("screen.xterm-256color").multiplexer);
        assert!(Caps::of("screen").multiplexer);
    }
}
