//! OSC 8 hyperlinks: which addresses may become one, the escape sequence around a
//! link's text, and which terminals are sent them.
//!
//! A dataset's URLs are untrusted. Only an address that [`Target::of`] accepts (an
//! `http` or `https` URL of printable ASCII, of sane length) ever goes inside a
//! sequence; any other is shown as the cleaned text it already is. The text a link
//! covers must be free of controls too, or no sequence is written.

/// The longest address made a link (terminals cap theirs near this: VTE at 2083).
pub const MAX_URL: usize = 2048;

/// An address checked to be safe inside an OSC 8 sequence. Made only by
/// [`Target::of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a>(&'a str);

impl<'a> Target<'a> {
    /// `url` as a link target, if it is an `http` or `https` URL with a host, made only
    /// of printable ASCII (no space, no control, no ESC, BEL or ST), at most
    /// [`MAX_URL`] bytes long.
    pub fn of(url: &'a str) -> Option<Target<'a>> {
        if url.is_empty() || url.len() > MAX_URL {
            return None;
        }
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &url[8..]
        } else if lower.starts_with("http://") {
            &url[7..]
        } else {
            return None;
        };
        // A host: something before the path, and not another scheme's slashes.
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        (!host.is_empty()).then_some(Target(url))
    }

    /// The address.
    pub fn url(self) -> &'a str {
        self.0
    }

    /// `text` as a link to this target: `ESC ] 8 ; ; URL ESC \ text ESC ] 8 ; ; ESC \`.
    /// Text with a control character in it is returned as it is, with no sequence.
    pub fn wrap(self, text: &str) -> String {
        if text.chars().any(char::is_control) {
            return text.to_string();
        }
        format!("\x1b]8;;{}\x1b\\{text}\x1b]8;;\x1b\\", self.0)
    }
}

/// Whether a terminal of type `term` (its `TERM`) is sent OSC 8. Terminals that do not
/// know OSC 8 skip it, as they skip any OSC they do not know; those that print it
/// instead, and those that cannot be addressed, get none: `dumb`, the DEC terminals
/// and their emulations (`vt100`, `vt220`...), the Linux console. An unset `TERM`
/// says nothing, so it gets none either.
pub fn term_supports(term: &str) -> bool {
    let t = term.trim().to_ascii_lowercase();
    let dec = t
        .strip_prefix("vt")
        .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
    !(t.is_empty() || t == "dumb" || dec || t == "linux" || t.starts_with("linux-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_addresses_become_links() {
        for ok in [
            "https://www.link-j.org/news/2018/09/post-39.html",
            "http://example.org",
            "HTTPS://EXAMPLE.ORG/a?b=c#d",
        ] {
            assert_eq!(Target::of(ok).map(Target::url), Some(ok), "{ok}");
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_URL));
        for bad in [
            "",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "https:///path",
            "ftp://example.org",
            "https://example.org/\x1b]8;;evil\x1b\\",
            "https://example.org/\x07",
            "https://example.org/a b",
            "https://例え.jp/",
            "https://example.org/\u{9c}",
            "https://example.org/\u{202e}",
            long.as_str(),
        ] {
            assert_eq!(Target::of(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_sequence_wraps_clean_text_only() {
        let t = Target::of("https://example.org/x").unwrap();
        assert_eq!(
            t.wrap("example"),
            "\x1b]8;;https://example.org/x\x1b\\example\x1b]8;;\x1b\\"
        );
        assert_eq!(t.wrap("a\x1b[2Jb"), "a\x1b[2Jb");
    }

    #[test]
    fn terminals_that_print_or_cannot_place_the_sequence_get_none() {
        for yes in [
            "xterm-256color",
            "tmux-256color",
            "alacritty",
            "foot",
            "vte",
        ] {
            assert!(term_supports(yes), "{yes}");
        }
        for no in ["", "dumb", "vt100", "VT220", "linux", "linux-16color"] {
            assert!(!term_supports(no), "{no}");
        }
    }
}
