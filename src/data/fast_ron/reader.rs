//! The tokens of the plain subset: whitespace and comments, punctuation, identifiers,
//! numbers and strings. Anything else is a [`GiveUp`].

use serde::de;

/// Why the fast reader stopped; the caller falls back to ron, which says what is wrong.
#[derive(Debug)]
pub struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("outside the plain RON subset")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// What every step of reading gives: a value, or giving up.
pub(super) type Result<T> = std::result::Result<T, GiveUp>;

/// A position in the text being read.
pub(super) struct Reader<'de> {
    /// The text as bytes, for scanning.
    pub(super) src: &'de [u8],
    /// The same text, for slicing out what is read without copying.
    text: &'de str,
    /// The next byte to read.
    pub(super) pos: usize,
    /// A list read elsewhere (its `[` and `]`): it reads as empty.
    pub(super) skip: Option<(usize, usize)>,
    /// Values serde ignores (fields a type does not name) are skipped over rather than
    /// given up on: for a first look at the items of a list, which are all read in
    /// full afterwards (see [`super::spans`]).
    pub(super) skim: bool,
}

/// Whether `b` may start an identifier.
pub(super) fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'de> Reader<'de> {
    /// A reader of `text` from byte `pos`.
    pub(super) fn new(text: &'de str, pos: usize) -> Reader<'de> {
        Reader {
            src: text.as_bytes(),
            text,
            pos,
            skip: None,
            skim: false,
        }
    }

    /// The next byte, not consumed.
    pub(super) fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Skips spaces, tabs, newlines and `//` comments (a block comment gives up).
    pub(super) fn skip_ws(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'/') => {
                    // A comment that runs to the end of the file is left to ron.
                    let end = self.src[self.pos..].iter().position(|&b| b == b'\n');
                    self.pos += end.ok_or(GiveUp)?;
                }
                _ => return Ok(()),
            }
        }
    }

    /// Skips whitespace, then consumes `b` or gives up.
    pub(super) fn expect(&mut self, b: u8) -> Result<()> {
        self.skip_ws()?;
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Skips whitespace, then consumes `b` if it is next.
    pub(super) fn eat(&mut self, b: u8) -> Result<bool> {
        self.skip_ws()?;
        let found = self.peek() == Some(b);
        if found {
            self.pos += 1;
        }
        Ok(found)
    }

    /// An ASCII identifier (anything fancier gives up at the following token).
    pub(super) fn ident(&mut self) -> Result<&'de str> {
        self.skip_ws()?;
        let start = self.pos;
        if !self.peek().is_some_and(ident_start) {
            return Err(GiveUp);
        }
        while self.peek().is_some_and(ident_char) {
            self.pos += 1;
        }
        // Non-ASCII identifier characters and raw identifiers (`r#x`) are ron's.
        if self.peek().is_some_and(|b| b >= 0x80 || b == b'#') {
            return Err(GiveUp);
        }
        Ok(&self.text[start..self.pos])
    }

    /// Skips whitespace, then whether an identifier comes next (a struct's optional name).
    pub(super) fn ident_starts_here(&mut self) -> Result<bool> {
        self.skip_ws()?;
        Ok(self.peek().is_some_and(ident_start))
    }

    /// A decimal number: digits, optionally signed, optionally with a fraction.
    pub(super) fn number(&mut self, signed: bool, fraction: bool) -> Result<&'de str> {
        self.skip_ws()?;
        let start = self.pos;
        if signed && self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |r: &mut Self| -> Result<()> {
            let from = r.pos;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.pos += 1;
            }
            // No leading zeros ("007"), and at least one digit.
            match &r.src[from..r.pos] {
                [] => Err(GiveUp),
                [b'0', _, ..] => Err(GiveUp),
                _ => Ok(()),
            }
        };
        digits(self)?;
        if fraction && self.peek() == Some(b'.') {
            self.pos += 1;
            let from = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == from {
                return Err(GiveUp);
            }
        }
        // Exponents, suffixes, underscores, hex and the like are ron's.
        if self
            .peek()
            .is_some_and(|b| ident_char(b) || b == b'.' || b >= 0x80)
        {
            return Err(GiveUp);
        }
        Ok(&self.text[start..self.pos])
    }

    /// A double-quoted string, borrowed from the text unless it holds an escape.
    pub(super) fn string(&mut self) -> Result<Str<'de>> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            let at = memchr::memchr2(b'"', b'\\', &self.src[self.pos..]).ok_or(GiveUp)?;
            // Raw control characters (a line break inside a string) are ron's.
            if self.src[self.pos..self.pos + at].iter().any(|&b| b < 0x20) {
                return Err(GiveUp);
            }
            self.pos += at;
            match self.src[self.pos] {
                b'"' => {
                    let tail = &self.text[run..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        None => Str::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Str::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.pos]);
                    let c = match self.src.get(self.pos + 1) {
                        Some(b'\\') => '\\',
                        Some(b'"') => '"',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        _ => return Err(GiveUp),
                    };
                    s.push(c);
                    self.pos += 2;
                    run = self.pos;
                }
                _ => return Err(GiveUp),
            }
        }
    }
}

impl Reader<'_> {
    /// Skips one value of the plain subset without reading it: a string, a number, an
    /// identifier (with what it is applied to in parentheses, `Some(..)`), or anything
    /// in balanced brackets. Lenient inside the brackets: only for skimming
    /// ([`Reader::skim`]), where the value is read in full later.
    pub(super) fn skip_value(&mut self) -> Result<()> {
        self.skip_ws()?;
        match self.peek().ok_or(GiveUp)? {
            b'"' => self.string().map(drop),
            b'(' | b'[' | b'{' => self.skip_balanced(),
            b if ident_start(b) => {
                self.ident()?;
                self.skip_ws()?;
                if self.peek() == Some(b'(') {
                    self.skip_balanced()?;
                }
                Ok(())
            }
            b'-' | b'0'..=b'9' => self.number(true, true).map(drop),
            _ => Err(GiveUp),
        }
    }

    /// Skips from an opening bracket to the one that closes it.
    fn skip_balanced(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            self.skip_ws()?;
            match self.peek().ok_or(GiveUp)? {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    depth = depth.checked_sub(1).ok_or(GiveUp)?;
                    self.pos += 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                b'"' => {
                    self.string()?;
                }
                _ => self.pos += 1,
            }
        }
    }
}

/// A string read: borrowed when it is written as it reads, owned when it had escapes.
pub(super) enum Str<'de> {
    /// A slice of the text.
    Borrowed(&'de str),
    /// The string with its escapes resolved.
    Owned(String),
}
