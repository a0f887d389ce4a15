//! What a partner is found by, and what a line of `search` shows of it: its names,
//! short name, aliases, place, country, region, kind and people. [`Searchable`] reads
//! them from a parsed [`Partner`] or from [`Texts`], the same texts borrowed from a
//! stored catalog's bytes (a few hundred bytes a partner, decoded without copying),
//! so that a search's output need not decode each hit's whole record.

use serde::{Deserialize, Serialize};

use super::{Lang, Partner};

/// The texts a partner is searched by (see [`crate::search::field_text`]).
pub trait Searchable {
    /// The name in `l`.
    fn name(&self, l: Lang) -> &str;
    /// The short name.
    fn short(&self) -> Option<&str>;
    /// The `i`-th alias.
    fn alias(&self, i: usize) -> Option<&str>;
    /// How many aliases.
    fn aliases(&self) -> usize;
    /// The place in `l`.
    fn place(&self, l: Lang) -> &str;
    /// The country code.
    fn country(&self) -> &str;
    /// The region's id.
    fn region(&self) -> &str;
    /// The kind's id.
    fn kind(&self) -> &str;
    /// How many people.
    fn people(&self) -> usize;
    /// Person `i`'s name in `l`.
    fn person(&self, i: usize, l: Lang) -> Option<&str>;
    /// Person `i`'s role in `l`.
    fn role(&self, i: usize, l: Lang) -> Option<&str>;
    /// Whether person `i`'s Latin-letter name is ours (no source gives it).
    fn romanised(&self, i: usize) -> bool;
}

impl Searchable for Partner {
    fn name(&self, l: Lang) -> &str {
        self.name.get(l)
    }
    fn short(&self) -> Option<&str> {
        self.short.as_deref()
    }
    fn alias(&self, i: usize) -> Option<&str> {
        self.aliases.get(i).map(String::as_str)
    }
    fn aliases(&self) -> usize {
        self.aliases.len()
    }
    fn place(&self, l: Lang) -> &str {
        self.place.get(l)
    }
    fn country(&self) -> &str {
        &self.country
    }
    fn region(&self) -> &str {
        &self.region
    }
    fn kind(&self) -> &str {
        &self.kind
    }
    fn people(&self) -> usize {
        self.people.len()
    }
    fn person(&self, i: usize, l: Lang) -> Option<&str> {
        self.people.get(i).map(|p| p.name.get(l))
    }
    fn role(&self, i: usize, l: Lang) -> Option<&str> {
        self.people.get(i).map(|p| p.role.get(l))
    }
    fn romanised(&self, i: usize) -> bool {
        self.people.get(i).is_some_and(|p| p.romanised)
    }
}

/// A pair of texts, Japanese then English.
type Pair<'a> = (&'a str, &'a str);

fn pick<'a>((ja, en): Pair<'a>, l: Lang) -> &'a str {
    match l {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A partner's [`Searchable`] texts, borrowed: as a stored catalog holds them
/// (MessagePack, a tuple each), or borrowed from a [`Partner`] ([`Texts::of`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts<'a> {
    #[serde(borrow)]
    name: Pair<'a>,
    #[serde(borrow)]
    short: Option<&'a str>,
    #[serde(borrow)]
    aliases: Vec<&'a str>,
    #[serde(borrow)]
    place: Pair<'a>,
    country: &'a str,
    region: &'a str,
    kind: &'a str,
    #[serde(borrow)]
    people: Vec<PersonTexts<'a>>,
}

/// A person's texts in [`Texts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PersonTexts<'a> {
    #[serde(borrow)]
    name: Pair<'a>,
    #[serde(borrow)]
    role: Pair<'a>,
    romanised: bool,
}

impl<'a> Texts<'a> {
    /// The texts of `p`.
    pub fn of(p: &'a Partner) -> Texts<'a> {
        let pair = |t: &'a super::Text| (t.ja.as_str(), t.en.as_str());
        Texts {
            name: pair(&p.name),
            short: p.short.as_deref(),
            aliases: p.aliases.iter().map(String::as_str).collect(),
            place: pair(&p.place),
            country: &p.country,
            region: &p.region,
            kind: &p.kind,
            people: p
                .people
                .iter()
                .map(|x| PersonTexts {
                    name: pair(&x.name),
                    role: pair(&x.role),
                    romanised: x.romanised,
                })
                .collect(),
        }
    }

    /// Appends the encoded texts to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), String> {
        rmp_serde::encode::write(out, self).map_err(|e| e.to_string())
    }

    /// Appends `p`'s encoded texts to `out`, as [`Texts::of`] and [`Texts::encode`]
    /// would, without collecting its aliases and people first (a partner may have
    /// millions of aliases).
    pub fn encode_partner(p: &Partner, out: &mut Vec<u8>) -> Result<(), String> {
        rmp_serde::encode::write(out, &TextsOut(p)).map_err(|e| e.to_string())
    }

    /// The texts encoded in `bytes`, borrowed from them.
    pub fn decode(bytes: &'a [u8]) -> Option<Texts<'a>> {
        rmp_serde::from_slice(bytes).ok()
    }
}

/// A partner's [`Texts`] as they are written: the same fields in the same order,
/// serialised from the partner's own lists.
struct TextsOut<'a>(&'a Partner);

impl Serialize for TextsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let p = self.0;
        let mut st = s.serialize_struct("Texts", 8)?;
        st.serialize_field("name", &(p.name.ja.as_str(), p.name.en.as_str()))?;
        st.serialize_field("short", &p.short.as_deref())?;
        st.serialize_field("aliases", &p.aliases)?;
        st.serialize_field("place", &(p.place.ja.as_str(), p.place.en.as_str()))?;
        st.serialize_field("country", p.country.as_str())?;
        st.serialize_field("region", p.region.as_str())?;
        st.serialize_field("kind", p.kind.as_str())?;
        st.serialize_field("people", &PeopleOut(&p.people))?;
        st.end()
    }
}

/// A partner's people as [`Texts`] holds them.
struct PeopleOut<'a>(&'a [super::Person]);

impl Serialize for PeopleOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|x| PersonTexts {
            name: (x.name.ja.as_str(), x.name.en.as_str()),
            role: (x.role.ja.as_str(), x.role.en.as_str()),
            romanised: x.romanised,
        }))
    }
}

impl Searchable for Texts<'_> {
    fn name(&self, l: Lang) -> &str {
        pick(self.name, l)
    }
    fn short(&self) -> Option<&str> {
        self.short
    }
    fn alias(&self, i: usize) -> Option<&str> {
        self.aliases.get(i).copied()
    }
    fn aliases(&self) -> usize {
        self.aliases.len()
    }
    fn place(&self, l: Lang) -> &str {
        pick(self.place, l)
    }
    fn country(&self) -> &str {
        self.country
    }
    fn region(&self) -> &str {
        self.region
    }
    fn kind(&self) -> &str {
        self.kind
    }
    fn people(&self) -> usize {
        self.people.len()
    }
    fn person(&self, i: usize, l: Lang) -> Option<&str> {
        self.people.get(i).map(|p| pick(p.name, l))
    }
    fn role(&self, i: usize, l: Lang) -> Option<&str> {
        self.people.get(i).map(|p| pick(p.role, l))
    }
    fn romanised(&self, i: usize) -> bool {
        self.people.get(i).is_some_and(|p| p.romanised)
    }
}

/// How many partners' [`Texts`] a stored catalog keeps in one block (read, and its
/// hash checked, as one).
pub const TEXTS_PER_BLOCK: usize = 64;

/// Where a block of [`Texts`] ends in a stored catalog's records and its hash (xxh3,
/// 64 bits): fixed size, no padding, read in place.
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub struct TextBlock {
    /// The end, as an offset in the records.
    pub end: u64,
    /// The hash of the block's bytes.
    pub hash: u64,
}

/// Appends the block of `partners`' texts to `out`: one more offset than partners
/// (32 bits each, from the end of the offsets), then each partner's encoded texts.
pub fn encode_block(partners: &[Partner], out: &mut Vec<u8>) -> Result<(), String> {
    let mut body = Vec::new();
    let mut ends = vec![0u32];
    for p in partners {
        Texts::encode_partner(p, &mut body)?;
        ends.push(u32::try_from(body.len()).map_err(|_| "a block of texts is too large")?);
    }
    for e in ends {
        out.extend_from_slice(&e.to_le_bytes());
    }
    out.extend_from_slice(&body);
    Ok(())
}

/// The encoded texts of the `k`-th partner of a block of `n` (see [`encode_block`]).
pub fn block_entry(block: &[u8], n: usize, k: usize) -> Option<&[u8]> {
    let at = |j: usize| -> Option<usize> {
        let b = block.get(4 * j..4 * j + 4)?;
        usize::try_from(u32::from_le_bytes(b.try_into().ok()?)).ok()
    };
    (k < n).then_some(())?;
    let body = block.get(4 * (n + 1)..)?;
    body.get(at(k)?..at(k + 1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of `p` alone holds its encoded texts `bytes`, and nothing after them.
    fn in_a_block(p: &Partner, bytes: &[u8]) {
        let mut block = Vec::new();
        encode_block(std::slice::from_ref(p), &mut block).expect("block");
        assert_eq!(block_entry(&block, 1, 0), Some(bytes));
        assert_eq!(block_entry(&block, 1, 1), None);
    }

    #[test]
    fn texts_read_back_as_the_partner_gives_them() {
        let ds = crate::data::load_embedded().expect("embedded").dataset;
        for p in ds.partners.as_slice().expect("parsed") {
            let mut bytes = Vec::new();
            Texts::encode_partner(p, &mut bytes).expect("encode");
            let mut of = Vec::new();
            Texts::of(p).encode(&mut of).expect("encode");
            assert_eq!(bytes, of, "written as Texts::of writes them");
            let t = Texts::decode(&bytes).expect("decode");
            assert_eq!(t, Texts::of(p));
            in_a_block(p, &bytes);
            for l in [Lang::Ja, Lang::En] {
                assert_eq!(t.name(l), p.name(l));
                assert_eq!(t.place(l), Searchable::place(p, l));
                for i in 0..p.people.len() + 1 {
                    assert_eq!(t.person(i, l), p.person(i, l));
                    assert_eq!(t.role(i, l), p.role(i, l));
                }
            }
            assert_eq!(t.short(), Searchable::short(p));
            assert_eq!(t.aliases(), p.aliases.len());
            for i in 0..p.people.len() {
                assert_eq!(t.romanised(i), p.romanised(i));
            }
        }
    }
}
