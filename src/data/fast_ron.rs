//! A fast reader for the plain subset of RON that datasets are written in.
//!
//! ron reads about 30 MB/s here, which makes a dataset of 100,000 partners take
//! seconds to open. This reader understands only the plainest RON: structs with named
//! fields (optionally named), lists, `Some(..)`/`None`, unit enum variants, `true` and
//! `false`, decimal numbers, strings with the escapes `\\ \" \n \r \t`, spaces, tabs,
//! newlines and `//` comments. It gives up at the first thing outside that subset, and
//! on any error at all, and the caller then parses the file with ron, which reads
//! everything RON allows and words the error messages. So whatever this reader
//! accepts, ron accepts with the same meaning (`tests/loader.rs` checks that on every
//! fixture, on generated datasets and on thousands of mangled ones), and ron remains
//! the one authority on what a dataset file may contain and what is wrong with it.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

/// Reads `text` as a `T`, or `None` when it is not in the plain subset (or not valid).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    whole(Reader::new(text, 0))
}

/// Reads the whole of `text` as a `T` with `r`.
fn whole<T: DeserializeOwned>(mut r: Reader<'_>) -> Option<T> {
    let value = T::deserialize(&mut r).ok()?;
    r.skip_ws().ok()?;
    (r.pos == r.src.len()).then_some(value)
}

/// Like [`from_str`], for a `H` with a long list of `T` in its field `field` (a
/// dataset's partners): the list is read in two halves on two threads, the rest of
/// `text` on the first, and the list comes back apart from `H` (which has it empty).
/// `None` where that cannot be done (a list shorter than `min_len` bytes, no line that
/// starts an item near its middle, anything outside the plain subset): then
/// [`from_str`] is the way. What it returns is what [`from_str`] reads: the halves
/// must meet exactly, item to item, and `tests/loader.rs` compares the two.
pub fn from_str_split<H, T>(text: &str, field: &str, min_len: usize) -> Option<(H, Vec<T>)>
where
    H: DeserializeOwned,
    T: DeserializeOwned + Send,
{
    let open = list_start(text, field)?;
    if text.len() - open < min_len {
        return None;
    }
    let split = item_line_after(text, open, open + 1 + (text.len() - open) / 2)?;
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| items::<T>(text, split, None));
        let first = items::<T>(text, open + 1, Some(split));
        (first, second.join().ok().flatten())
    });
    let ((mut list, _), (rest, close)) = (first?, second?);
    let mut r = Reader::new(text, 0);
    r.skip = Some((open, close));
    let head = whole::<H>(r)?;
    append_freeing(&mut list, rest);
    Some((head, list))
}

/// Appends `rest` to `list`, moving it from its end a megabyte at a time and giving
/// each megabyte back as it goes: `append` would hold the second half of a large
/// list twice at its end (a third of a million-partner dataset's peak).
fn append_freeing<T>(list: &mut Vec<T>, mut rest: Vec<T>) {
    let step = ((1 << 20) / size_of::<T>().max(1)).max(1);
    let (n1, n2) = (list.len(), rest.len());
    list.reserve_exact(n2);
    let mut left = n2;
    while left > 0 {
        let from = left.saturating_sub(step);
        // SAFETY: `list` has room for `n1 + n2` items; `rest[from..left]` are
        // initialised, and once copied `rest` no longer owns them (`set_len`), so each
        // item has one owner. `list` takes them only when all are in (below); nothing
        // in between can unwind (a failed shrink aborts), so at worst they would leak.
        unsafe {
            std::ptr::copy_nonoverlapping(
                rest.as_ptr().add(from),
                list.as_mut_ptr().add(n1 + from),
                left - from,
            );
            rest.set_len(from);
        }
        rest.shrink_to_fit();
        left = from;
    }
    // SAFETY: the `n2` slots after the first `n1` are all written above.
    unsafe { list.set_len(n1 + n2) };
}

/// Where the list in the top-level field `field` opens (its `[`), found by a scan of
/// the tokens before it; `None` at anything unusual.
fn list_start(text: &str, field: &str) -> Option<usize> {
    let mut r = Reader::new(text, 0);
    let mut depth = 0usize;
    loop {
        r.skip_ws().ok()?;
        match r.peek()? {
            b'(' | b'[' | b'{' => {
                depth += 1;
                r.pos += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                r.pos += 1;
            }
            b'"' => {
                r.string().ok()?;
            }
            b if ident_start(b) => {
                let name = r.ident().ok()?;
                if depth == 1 && name == field && r.eat(b':').ok()? {
                    r.skip_ws().ok()?;
                    return (r.peek()? == b'[').then_some(r.pos);
                }
            }
            _ => r.pos += 1,
        }
    }
}

/// The first line at or after byte `from` that starts a struct the way the list's
/// items do: `(` as its first token, indented like the first such line after the
/// list's `[` at `open`. In a file the fast reader takes, a line break is never inside
/// a string; whether the line really starts an item, reading the halves decides.
fn item_line_after(text: &str, open: usize, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    // The next line from `at` that starts with `(`, and its indentation.
    let next = |mut at: usize| -> Option<(usize, usize)> {
        for _ in 0..10_000 {
            at += memchr::memchr(b'\n', b.get(at..)?)? + 1;
            let indent = b[at..]
                .iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count();
            if b.get(at + indent) == Some(&b'(') {
                return Some((at + indent, indent));
            }
        }
        None
    };
    let (_, item_indent) = next(open)?;
    let mut at = from;
    for _ in 0..1000 {
        let (start, indent) = next(at)?;
        if indent == item_indent {
            return Some(start);
        }
        at = start;
    }
    None
}

/// List items from byte `from`: up to exactly `until` (where the next item starts,
/// after this run's last comma), or with `until` `None` up to the list's `]`.
/// Returns them and where they stopped.
fn items<T: DeserializeOwned>(
    text: &str,
    from: usize,
    until: Option<usize>,
) -> Option<(Vec<T>, usize)> {
    let mut r = Reader::new(text, from);
    let mut out = Vec::new();
    loop {
        r.skip_ws().ok()?;
        match until {
            Some(u) if r.pos == u => return Some((out, u)),
            Some(u) if r.pos > u => return None,
            None if r.peek() == Some(b']') => return Some((out, r.pos)),
            _ => {}
        }
        out.push(T::deserialize(&mut r).ok()?);
        if !r.eat(b',').ok()? {
            // Without a comma only the list's end may follow.
            r.skip_ws().ok()?;
            return (until.is_none() && r.peek() == Some(b']')).then_some((out, r.pos));
        }
    }
}

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

type Result<T> = std::result::Result<T, GiveUp>;

struct Reader<'de> {
    src: &'de [u8],
    text: &'de str,
    pos: usize,
    /// A list read elsewhere (its `[` and `]`): it reads as empty.
    skip: Option<(usize, usize)>,
}

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'de> Reader<'de> {
    fn new(text: &'de str, pos: usize) -> Reader<'de> {
        Reader {
            src: text.as_bytes(),
            text,
            pos,
            skip: None,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Skips spaces, tabs, newlines and `//` comments (a block comment gives up).
    fn skip_ws(&mut self) -> Result<()> {
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
    fn expect(&mut self, b: u8) -> Result<()> {
        self.skip_ws()?;
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Skips whitespace, then consumes `b` if it is next.
    fn eat(&mut self, b: u8) -> Result<bool> {
        self.skip_ws()?;
        let found = self.peek() == Some(b);
        if found {
            self.pos += 1;
        }
        Ok(found)
    }

    /// An ASCII identifier (anything fancier gives up at the following token).
    fn ident(&mut self) -> Result<&'de str> {
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

    fn ident_starts_here(&mut self) -> Result<bool> {
        self.skip_ws()?;
        Ok(self.peek().is_some_and(ident_start))
    }

    /// A decimal number: digits, optionally signed, optionally with a fraction.
    fn number(&mut self, signed: bool, fraction: bool) -> Result<&'de str> {
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

    fn string(&mut self) -> Result<Str<'de>> {
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

enum Str<'de> {
    Borrowed(&'de str),
    Owned(String),
}

/// Items separated by commas (a trailing one allowed) up to `close`.
struct Items<'a, 'de> {
    r: &'a mut Reader<'de>,
    close: u8,
    first: bool,
}

impl<'de> Items<'_, 'de> {
    /// Whether another item follows (consumes the comma before it).
    fn more(&mut self) -> Result<bool> {
        self.r.skip_ws()?;
        if self.r.peek() == Some(self.close) {
            return Ok(false);
        }
        if !std::mem::take(&mut self.first) {
            self.r.expect(b',')?;
            self.r.skip_ws()?;
            if self.r.peek() == Some(self.close) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.more()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.more()? {
            return Ok(None);
        }
        let key = self.r.ident()?;
        self.r.expect(b':')?;
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.r)
    }
}

/// A list read elsewhere.
struct Empty;

impl<'de> de::SeqAccess<'de> for Empty {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<Option<T::Value>> {
        Ok(None)
    }
}

/// A unit enum variant, by name.
struct Unit<'de>(&'de str);

impl<'de> de::EnumAccess<'de> for Unit<'de> {
    type Error = GiveUp;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let v = seed.deserialize(BorrowedStrDeserializer::<GiveUp>::new(self.0))?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Unit<'de> {
    type Error = GiveUp;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value> {
        Err(GiveUp)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value> {
        Err(GiveUp)
    }
}

macro_rules! give_up {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
            Err(GiveUp)
        })*
    };
}

macro_rules! unsigned {
    ($($name:ident $visit:ident $t:ty)*) => {
        $(fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.$visit(self.number(false, false)?.parse::<$t>().map_err(|_| GiveUp)?)
        })*
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    give_up! {
        deserialize_any deserialize_ignored_any deserialize_identifier deserialize_unit
        deserialize_char deserialize_bytes deserialize_byte_buf deserialize_map
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_f32
    }

    unsigned! {
        deserialize_u8 visit_u8 u8
        deserialize_u16 visit_u16 u16
        deserialize_u32 visit_u32 u32
        deserialize_u64 visit_u64 u64
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        let n = self.number(true, true)?;
        v.visit_f64(n.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.ident()? {
            "true" => v.visit_bool(true),
            "false" => v.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.string()? {
            Str::Borrowed(s) => v.visit_borrowed_str(s),
            Str::Owned(s) => v.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.ident()? {
            "None" => v.visit_none(),
            "Some" => {
                self.expect(b'(')?;
                let value = v.visit_some(&mut *self)?;
                self.eat(b',')?;
                self.expect(b')')?;
                Ok(value)
            }
            _ => Err(GiveUp),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.skip_ws()?;
        if let Some((open, close)) = self.skip
            && self.pos == open
        {
            self.pos = close + 1;
            return v.visit_seq(Empty);
        }
        self.expect(b'[')?;
        let value = v.visit_seq(Items {
            r: &mut *self,
            close: b']',
            first: true,
        })?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        // ron reads a few standard structs (ranges) in a syntax of their own.
        if name.starts_with("Range") {
            return Err(GiveUp);
        }
        if self.ident_starts_here()? && self.ident()? != name {
            return Err(GiveUp);
        }
        self.expect(b'(')?;
        let value = v.visit_map(Items {
            r: &mut *self,
            close: b')',
            first: true,
        })?;
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        let name = self.ident()?;
        // `Variant(..)` is not a unit variant.
        self.skip_ws()?;
        if self.peek() == Some(b'(') {
            return Err(GiveUp);
        }
        v.visit_enum(Unit(name))
    }
}
