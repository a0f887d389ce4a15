//! The searchable fields of a partner and their texts.

use crate::data::{Dataset, Lang, Partner, Person, Searchable};

/// A searchable field of a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The name in one language.
    Name(Lang),
    /// The short name.
    Short,
    /// The n-th alias.
    Alias(usize),
    /// The name of the n-th person named for the partnership, in one language.
    Person(usize, Lang),
    /// The place in one language.
    Place(Lang),
    /// The country: 0 Japanese name, 1 English name, 2 code, 3.. aliases.
    Country(usize),
    /// The region label in one language.
    Region(Lang),
    /// The kind label in one language.
    Kind(Lang),
    /// The role (title and organisation) of the n-th person, in one language.
    Role(usize, Lang),
}

impl Field {
    /// Whether many partners share this field's text (place, country, region, kind):
    /// such haystacks are normalised once and shared.
    pub(super) fn shared(self) -> bool {
        // People's names and roles repeat too: the same officers sign many agreements.
        matches!(
            self,
            Field::Place(_)
                | Field::Country(_)
                | Field::Region(_)
                | Field::Kind(_)
                | Field::Person(..)
                | Field::Role(..)
        )
    }

    /// Whether a term may match this field scattered (its letters in order, apart) or
    /// with a typo. Not a person's role: a long title holds the letters of nearly any
    /// short word in order, so only its words and substrings match.
    #[inline]
    pub(super) fn scatters(self) -> bool {
        !matches!(self, Field::Role(..))
    }

    /// How much a match on this field says about the partner.
    #[inline]
    pub(super) fn class(self) -> i64 {
        match self {
            Field::Name(_) | Field::Short => 4,
            Field::Alias(_) => 3,
            // Below the partner's own names: a person is found, the partner first.
            Field::Person(..) => 2,
            Field::Place(_) | Field::Country(_) | Field::Role(..) => 1,
            Field::Region(_) | Field::Kind(_) => 0,
        }
    }
}

/// The text of `field` for partner `p` (parsed, or its stored texts).
#[inline]
pub fn field_text<'a, P: Searchable + ?Sized>(
    ds: &'a Dataset,
    p: &'a P,
    field: Field,
) -> Option<&'a str> {
    Some(match field {
        Field::Name(l) => p.name(l),
        Field::Short => p.short()?,
        Field::Alias(i) => p.alias(i)?,
        Field::Place(l) => p.place(l),
        Field::Country(i) => {
            let c = ds.country(p.country());
            match i {
                0 => c?.ja.as_str(),
                1 => c?.en.as_str(),
                2 => p.country(),
                n => c?.aliases.get(n - 3)?.as_str(),
            }
        }
        Field::Region(l) => ds.region(p.region())?.label(l),
        Field::Kind(l) => ds.kind(p.kind())?.label(l),
        Field::Person(i, l) => p.person(i, l)?,
        Field::Role(i, l) => p.role(i, l)?,
    })
}

/// How a match on `field` is introduced where the partner's row does not show the
/// field: `person: ` for a person's name, `person: NAME, ` for their role (so a hit
/// on a person says so), nothing for the other fields.
pub fn field_intro<P: Searchable + ?Sized>(p: &P, field: Field, lang: Lang) -> Option<String> {
    let word = crate::i18n::tr(lang, "person: ", "人物: ");
    match field {
        Field::Person(..) => Some(word.to_string()),
        Field::Role(i, _) => {
            let (ja, en) = (p.person(i, Lang::Ja)?, p.person(i, Lang::En)?);
            let name = Person::marked_name((ja, en), p.romanised(i), lang, lang);
            Some(format!("{word}{name}, "))
        }
        _ => None,
    }
}

/// A partner's searchable fields, best class first (`best_hay` in `hit.rs` relies on that order).
pub(super) fn fields<'a>(ds: &'a Dataset, p: &'a Partner) -> impl Iterator<Item = Field> + 'a {
    let n_country = ds.country(&p.country).map_or(0, |c| 3 + c.aliases.len());
    let country = if n_country == 0 { 2..3 } else { 0..n_country };
    let both = |f: fn(usize, Lang) -> Field| {
        (0..p.people.len()).flat_map(move |i| [f(i, Lang::Ja), f(i, Lang::En)])
    };
    [Field::Name(Lang::Ja), Field::Name(Lang::En)]
        .into_iter()
        .chain(p.short.is_some().then_some(Field::Short))
        .chain((0..p.aliases.len()).map(Field::Alias))
        .chain(both(Field::Person))
        .chain([Field::Place(Lang::Ja), Field::Place(Lang::En)])
        .chain(country.map(Field::Country))
        .chain(both(Field::Role))
        .chain([
            Field::Region(Lang::Ja),
            Field::Region(Lang::En),
            Field::Kind(Lang::Ja),
            Field::Kind(Lang::En),
        ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haystacks_come_best_class_first() {
        // `best_hay` in `hit.rs` stops early relying on this order.
        let loaded = crate::data::load_embedded().expect("embedded");
        for p in &loaded.dataset.partners {
            let classes: Vec<i64> = fields(&loaded.dataset, &p).map(|f| f.class()).collect();
            assert!(classes.windows(2).all(|w| w[0] >= w[1]), "{classes:?}");
        }
    }
}
