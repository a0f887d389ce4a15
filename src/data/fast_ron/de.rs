//! The plain subset as serde sees it: structs with named fields, lists, options and
//! unit variants; every other shape gives up.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};

use crate::data::fast_ron::reader::{GiveUp, Reader, Result, Str};

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

/// Deserializer methods for the shapes the plain subset does not have.
macro_rules! give_up {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
            Err(GiveUp)
        })*
    };
}

/// Deserializer methods for the unsigned integers, written as plain decimal digits.
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
        deserialize_any deserialize_identifier deserialize_unit
        deserialize_char deserialize_bytes deserialize_byte_buf deserialize_map
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_f32
    }

    unsigned! {
        deserialize_u8 visit_u8 u8
        deserialize_u16 visit_u16 u16
        deserialize_u32 visit_u32 u32
        deserialize_u64 visit_u64 u64
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        // A field the type does not name: ron ignores it too, but whether it is valid
        // RON only a full read says, so only a skimming reader skips it.
        if !self.skim {
            return Err(GiveUp);
        }
        self.skip_value()?;
        v.visit_unit()
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
