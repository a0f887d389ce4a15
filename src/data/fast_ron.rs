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

mod de;
mod reader;

use serde::de::DeserializeOwned;

pub use reader::GiveUp;
use reader::{Reader, ident_start};

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
    let (list, close) = halves(text, open, split, |r| T::deserialize(r).ok())?;
    Some((head(text, open, close)?, list))
}

/// The list in `text` that opens at `open`, read in two halves on two threads, the
/// second from the item at `split`, each item with `read`; the items and where the
/// list closes.
fn halves<T: Send>(
    text: &str,
    open: usize,
    split: usize,
    read: impl Fn(&mut Reader<'_>) -> Option<T> + Sync,
) -> Option<(Vec<T>, usize)> {
    let read = &read;
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(move || items(text, split, None, read));
        let first = items(text, open + 1, Some(split), read);
        (first, second.join().ok().flatten())
    });
    let ((mut list, _), (rest, close)) = (first?, second?);
    append_freeing(&mut list, rest);
    Some((list, close))
}

/// The whole of `text` as a `H`, the list between `open` and `close` read as empty.
fn head<H: DeserializeOwned>(text: &str, open: usize, close: usize) -> Option<H> {
    let mut r = Reader::new(text, 0);
    r.skip = Some((open, close));
    whole::<H>(r)
}

/// A `H` with a list of items in its field `field`, skimmed: each item read as a `K`,
/// which names only some of the item's fields (the others are skipped over), with
/// the span of text it covers; the list comes back apart from `H` (which has it
/// empty). An item's span read with [`from_span`] gives the item in full, and that
/// full read is what decides whether the item is in the plain subset: skimming
/// proves only that the list's items are where the spans say. Lists of at least
/// `min_len` bytes are skimmed on two threads. `None` at anything outside the plain
/// subset (then [`from_str`] or ron must read the file).
pub fn spans<H, K>(text: &str, field: &str, min_len: usize) -> Option<(H, Vec<(K, Span)>)>
where
    H: DeserializeOwned,
    K: DeserializeOwned + Send,
{
    let open = list_start(text, field)?;
    let read = |r: &mut Reader<'_>| {
        let start = r.pos;
        r.skim = true;
        let key = K::deserialize(&mut *r).ok();
        r.skim = false;
        let span = Span {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(r.pos).ok()?,
        };
        Some((key?, span))
    };
    let split = (text.len() - open >= min_len)
        .then(|| item_line_after(text, open, open + 1 + (text.len() - open) / 2))
        .flatten();
    let (list, close) = match split {
        Some(split) => halves(text, open, split, read)?,
        None => items(text, open + 1, None, &read)?,
    };
    Some((head(text, open, close)?, list))
}

/// Where an item of a list lies in the text (byte offsets; a dataset file is under
/// 4 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Its first byte.
    pub start: u32,
    /// One past its last byte.
    pub end: u32,
}

/// The value written at `span` of `text` (a span [`spans`] gave), read in full as a
/// `T`; `None` when it is not one in the plain subset or does not fill the span.
pub fn from_span<T: DeserializeOwned>(text: &str, span: Span) -> Option<T> {
    let mut r = Reader::new(text, span.start as usize);
    let value = T::deserialize(&mut r).ok()?;
    (r.pos == span.end as usize).then_some(value)
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

/// List items from byte `from`, each read with `read`: up to exactly `until` (where
/// the next item starts, after this run's last comma), or with `until` `None` up to
/// the list's `]`. Returns them and where they stopped.
fn items<T>(
    text: &str,
    from: usize,
    until: Option<usize>,
    read: &impl Fn(&mut Reader<'_>) -> Option<T>,
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
        out.push(read(&mut r)?);
        if !r.eat(b',').ok()? {
            // Without a comma only the list's end may follow.
            r.skip_ws().ok()?;
            return (until.is_none() && r.peek() == Some(b']')).then_some((out, r.pos));
        }
    }
}
